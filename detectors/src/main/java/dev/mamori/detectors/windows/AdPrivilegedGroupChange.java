package dev.mamori.detectors.windows;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.RuleSpec;
import dev.mamori.detectors.site.SiteProfile;
import java.time.Clock;

/**
 * {@code ad.privileged_group_change}: a member was added to a group of {@code site.privileged_groups}
 * (4728 global, 4732 local, 4756 universal group). Attackers who hold an administrator's credentials
 * add their own account to keep the privilege.
 */
public final class AdPrivilegedGroupChange implements Detection<WindowsEvent> {

    public static final Rule RULE = new Rule("ad.privileged_group_change", Severity.HIGH, "T1098");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<WindowsEvent> SPEC = RuleSpec.of(
            RULE,
            WindowsEvent.class,
            (ctx, o) -> new AdPrivilegedGroupChange(ctx.site(), ctx.alerts(), ctx.input(), ctx.clock()));

    private final SiteProfile site;
    private final AlertFactory alerts;
    private final ObserverInput input;
    private final Clock clock;

    public AdPrivilegedGroupChange(SiteProfile site, AlertFactory alerts, ObserverInput input, Clock clock) {
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
        int id = e.eventId();
        if (id != 4728 && id != 4732 && id != 4756) {
            return;
        }
        String group = e.field("TargetUserName");
        if (!site.isPrivilegedGroup(group)) {
            return;
        }
        String member = member(e);
        String by = AdAccountCreated.qualified(e.field("SubjectDomainName"), e.field("SubjectUserName"));
        sink.emit(WindowsAlerts.start(alerts, RULE, input, e, clock)
                .field(AlertField.USER_NAME, member)
                .field(AlertField.USER_DOMAIN, e.field("TargetDomainName"))
                .args(member, group, by, e.computer())
                .build());
    }

    /** The member added: the account's name from its distinguished name, else its SID. */
    static String member(WindowsEvent e) {
        String dn = e.field("MemberName");
        if (dn != null && dn.regionMatches(true, 0, "CN=", 0, 3)) {
            int end = dn.indexOf(',');
            while (end > 0 && dn.charAt(end - 1) == '\\') {
                end = dn.indexOf(',', end + 1);
            }
            return (end < 0 ? dn.substring(3) : dn.substring(3, end)).replace("\\,", ",");
        }
        String sid = e.field("MemberSid");
        return dn != null && !dn.equals("-") ? dn : sid != null ? sid : "?";
    }
}
