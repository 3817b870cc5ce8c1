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
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.function.Supplier;

/**
 * {@code ad.off_hours_auth}: a privileged account ({@code site.privileged_accounts}) authenticated
 * successfully outside {@code site.business_hours}: interactive, network or remote-desktop logon
 * (4624 types 2, 3, 10), a TGT (4768) or NTLM validation (4776). Judged on the event's own time in
 * {@code site.timezone}.
 */
public final class AdOffHoursAuth implements Detection<WindowsEvent> {

    public static final Rule RULE = new Rule("ad.off_hours_auth", Severity.MEDIUM, "T1078.002");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<WindowsEvent> SPEC = RuleSpec.of(
            RULE,
            WindowsEvent.class,
            (ctx, o) -> new AdOffHoursAuth(
                    ctx.site(),
                    AccountLists.live(ctx.privilegedAccounts(), o, null, null),
                    ctx.alerts(),
                    ctx.input(),
                    ctx.clock()));

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final SiteProfile site;
    private final Supplier<AccountLists> accounts;
    private final AlertFactory alerts;
    private final ObserverInput input;
    private final Clock clock;

    public AdOffHoursAuth(
            SiteProfile site, Supplier<AccountLists> accounts, AlertFactory alerts, ObserverInput input, Clock clock) {
        this.site = site;
        this.accounts = accounts;
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
        Authentication a = Authentication.of(e);
        if (a == null || !a.success() || !accounts.get().isPrivileged(a.account())) {
            return;
        }
        if (a.eventId() == 4624) {
            long type = e.number("LogonType");
            if (type != 2 && type != 3 && type != 10) {
                return;
            }
        } else if (a.eventId() != 4768 && a.eventId() != 4776) {
            return;
        }
        Instant when = e.time() != null ? e.time() : clock.instant();
        if (site.isBusinessHours(when)) {
            return;
        }
        sink.emit(WindowsAlerts.start(alerts, RULE, input, e, clock)
                .field(AlertField.USER_NAME, a.rawAccount())
                .field(AlertField.SOURCE_IP, a.address())
                .args(
                        a.rawAccount(),
                        e.computer(),
                        LOCAL.format(when.atZone(site.timezone())) + " "
                                + site.timezone().getId())
                .build());
    }
}
