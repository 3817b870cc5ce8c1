package dev.mamori.detectors.proxy;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.Finding;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.intel.Indicators;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.RuleSpec;
import dev.mamori.detectors.site.SiteProfile;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * {@code proxy.c2_access}: the requested host (or a parent domain of it) or address is a listed
 * indicator. High in business hours, critical outside them (the guide: C&amp;C traffic at night,
 * when nobody works, is a stronger sign).
 */
public final class ProxyC2Access implements Detection<ProxyEvent> {

    public static final Rule RULE = new Rule("proxy.c2_access", Severity.HIGH, "T1071.001");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<ProxyEvent> SPEC = RuleSpec.of(
                    RULE,
                    ProxyEvent.class,
                    (ctx, o) -> new ProxyC2Access(ctx.indicators(), ctx.site(), ctx.alerts(), ctx.input(), ctx.clock()))
            .blocking();

    private final Supplier<Indicators> indicators;
    private final SiteProfile site;
    private final AlertFactory alerts;
    private final ObserverInput input;
    private final Clock clock;

    public ProxyC2Access(
            Supplier<Indicators> indicators, SiteProfile site, AlertFactory alerts, ObserverInput input, Clock clock) {
        this.indicators = indicators;
        this.site = site;
        this.alerts = alerts;
        this.input = input;
        this.clock = clock;
    }

    /** The indicator the request's host matches, or null. */
    static String indicator(Indicators intel, ProxyEvent e) {
        String ip = intel.matchIp(e.host());
        if (ip != null) {
            return ip;
        }
        String domain = intel.matchDomain(e.host());
        return domain != null ? domain : intel.matchUrl(e.host(), e.path());
    }

    @Override
    public Rule rule() {
        return RULE;
    }

    @Override
    public void inspect(ProxyEvent e, AlertSink sink) {
        String hit = indicator(indicators.get(), e);
        if (hit == null) {
            return;
        }
        sink.found(new Finding(RULE.id(), alerts.catalog().reason(RULE.id(), e.host())));
        boolean offHours = !site.isBusinessHours(e.time() != null ? e.time() : clock.instant());
        sink.emit(ProxyAlerts.start(alerts, RULE, input, e, clock)
                .severity(offHours ? RULE.severity().raised() : RULE.severity())
                .field(AlertField.EVENT_ACTION, offHours ? "off_hours" : "business_hours")
                .args(e.client(), hit, offHours ? alerts.catalog().message("proxy.off_hours") : "")
                .build());
    }
}
