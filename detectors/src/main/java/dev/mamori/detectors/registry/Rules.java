package dev.mamori.detectors.registry;

import dev.mamori.detectors.firewall.FwC2Communication;
import dev.mamori.detectors.firewall.FwConnectBack;
import dev.mamori.detectors.firewall.FwLateralAdmin;
import dev.mamori.detectors.mail.MailDisplayNameSpoof;
import dev.mamori.detectors.mail.MailExecutableAttachment;
import dev.mamori.detectors.proxy.ProxyC2Access;
import dev.mamori.detectors.proxy.ProxyC2DailyAccess;
import dev.mamori.detectors.proxy.ProxyConnectNonstandardPort;
import dev.mamori.detectors.proxy.ProxyExfiltration;
import dev.mamori.detectors.proxy.ProxyUnknownUserAgent;
import dev.mamori.detectors.rule.RuleSpec;
import dev.mamori.detectors.sensor.SensorClockSkew;
import dev.mamori.detectors.sensor.SensorDailyReview;
import dev.mamori.detectors.sensor.SensorSourceSilent;
import dev.mamori.detectors.windows.AdAccountCreated;
import dev.mamori.detectors.windows.AdAuthFailureBurst;
import dev.mamori.detectors.windows.AdAuthSpike;
import dev.mamori.detectors.windows.AdForgedTicket;
import dev.mamori.detectors.windows.AdLogCleared;
import dev.mamori.detectors.windows.AdMs14068;
import dev.mamori.detectors.windows.AdNewAccountHost;
import dev.mamori.detectors.windows.AdOffHoursAuth;
import dev.mamori.detectors.windows.AdPrivilegedGroupChange;
import dev.mamori.detectors.windows.AdScheduledTask;
import dev.mamori.detectors.windows.AdUnexpectedAccountHost;
import dev.mamori.detectors.windows.AdUnexpectedPrivilege;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every built-in rule, in the order of the design's rule table. This list is the only place that
 * names them all: the sensor, the configuration and check-config work from it.
 */
public final class Rules {

    /** The rules; a new rule's {@code SPEC} is added here, and nowhere else outside its own class. */
    public static final List<RuleSpec<?>> ALL = List.of(
            FwConnectBack.SPEC,
            FwC2Communication.SPEC,
            FwLateralAdmin.SPEC,
            MailDisplayNameSpoof.SPEC,
            MailExecutableAttachment.SPEC,
            ProxyC2Access.SPEC,
            ProxyC2DailyAccess.SPEC,
            ProxyConnectNonstandardPort.SPEC,
            ProxyUnknownUserAgent.SPEC,
            ProxyExfiltration.SPEC,
            AdMs14068.SPEC,
            AdForgedTicket.SPEC,
            AdScheduledTask.SPEC,
            AdLogCleared.SPEC,
            AdUnexpectedPrivilege.SPEC,
            AdUnexpectedAccountHost.SPEC,
            AdOffHoursAuth.SPEC,
            AdAuthFailureBurst.SPEC,
            AdAuthSpike.SPEC,
            AdAccountCreated.SPEC,
            AdPrivilegedGroupChange.SPEC,
            AdNewAccountHost.SPEC,
            SensorSourceSilent.SPEC,
            SensorClockSkew.SPEC,
            SensorDailyReview.SPEC);

    private static final Map<String, RuleSpec<?>> BY_ID;

    static {
        Map<String, RuleSpec<?>> m = new LinkedHashMap<>();
        for (RuleSpec<?> s : ALL) {
            if (m.put(s.id(), s) != null) {
                throw new IllegalStateException("two rules with the id " + s.id());
            }
        }
        BY_ID = m;
    }

    private Rules() {}

    public static Optional<RuleSpec<?>> byId(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    /** Every rule id, in table order. */
    public static List<String> ids() {
        return List.copyOf(BY_ID.keySet());
    }

    /** The ids of the rules an inline input may block on. */
    public static List<String> blockable() {
        return ALL.stream().filter(RuleSpec::inline).map(RuleSpec::id).toList();
    }
}
