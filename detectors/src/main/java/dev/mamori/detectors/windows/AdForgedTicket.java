package dev.mamori.detectors.windows;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.RuleSpec;
import dev.mamori.detectors.site.AdDomain;
import dev.mamori.detectors.site.SiteProfile;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;

/**
 * {@code ad.forged_ticket}: a logon (4624), logoff (4634) or special-privilege assignment (4672)
 * whose account domain is blank, contains {@code eo.oe.kiwi} (mimikatz's marker), or is not one of
 * {@code site.ad_domains}' NetBIOS names (these events normally carry the NetBIOS name; an FQDN or a
 * foreign name there is what forged Golden/Silver tickets leave). Built-in and local accounts (the
 * domain is the computer's own name, {@code NT AUTHORITY}, ...) are not domain logons and are skipped.
 */
public final class AdForgedTicket implements Detection<WindowsEvent> {

    public static final Rule RULE = new Rule("ad.forged_ticket", Severity.CRITICAL, "T1558.001");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<WindowsEvent> SPEC = RuleSpec.of(
            RULE,
            WindowsEvent.class,
            (ctx, o) -> new AdForgedTicket(ctx.site(), ctx.alerts(), ctx.input(), ctx.clock()));

    private static final Set<String> BUILT_IN_DOMAINS = Set.of(
            "nt authority",
            "window manager",
            "font driver host",
            "nt service",
            "builtin",
            "iis apppool",
            "nt virtual machine");

    private final SiteProfile site;
    private final AlertFactory alerts;
    private final ObserverInput input;
    private final Clock clock;

    public AdForgedTicket(SiteProfile site, AlertFactory alerts, ObserverInput input, Clock clock) {
        this.site = site;
        this.alerts = alerts;
        this.input = input;
        this.clock = clock;
    }

    @Override
    public Rule rule() {
        return RULE;
    }

    @Override
    public void inspect(WindowsEvent e, AlertSink sink) {
        String prefix = switch (e.eventId()) {
            case 4624, 4634 -> "Target";
            case 4672 -> "Subject";
            default -> null;
        };
        if (prefix == null) {
            return;
        }
        String user = e.field(prefix + "UserName");
        String domain = e.raw(prefix + "DomainName");
        if (user == null || Accounts.isBuiltIn(user) || !suspicious(domain, e)) {
            return;
        }
        sink.emit(WindowsAlerts.start(alerts, RULE, input, e, clock)
                .field(AlertField.USER_NAME, user)
                .field(AlertField.USER_DOMAIN, domain)
                .field(AlertField.SOURCE_IP, Accounts.address(e.field("IpAddress")))
                .args(e.eventId(), user, domain == null ? "" : domain)
                .build());
    }

    private boolean suspicious(String domain, WindowsEvent e) {
        String d = domain == null ? "" : domain.strip();
        if (d.isEmpty() || d.equals("-")) {
            return true;
        }
        String lower = d.toLowerCase(Locale.ROOT);
        if (lower.contains("eo.oe.kiwi")) {
            return true;
        }
        if (BUILT_IN_DOMAINS.contains(lower) || lower.equalsIgnoreCase(e.computerShortName())) {
            return false;
        }
        if (site.adDomains().isEmpty()) {
            return false;
        }
        for (AdDomain ad : site.adDomains()) {
            if (ad.isNetbios(d)) {
                return false;
            }
        }
        return true;
    }
}
