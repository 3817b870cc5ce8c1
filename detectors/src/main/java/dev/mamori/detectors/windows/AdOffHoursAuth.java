package dev.mamori.detectors.windows;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.OptionSpec;
import dev.mamori.detectors.rule.RuleSpec;
import dev.mamori.detectors.site.SiteProfile;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.function.Supplier;

/**
 * {@code ad.off_hours_auth}: a privileged account ({@code site.privileged_accounts}), or with
 * {@code accounts: all} any account (non-privileged ones at low severity), authenticated
 * successfully outside {@code site.business_hours}; a remote desktop logon (type 10) is worded as
 * one: interactive, network or remote-desktop logon
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
                    o.get().choice("accounts").equals("all"),
                    ctx.alerts(),
                    ctx.input(),
                    ctx.clock()),
            OptionSpec.choice("accounts", "privileged", "privileged", "all"));

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final SiteProfile site;
    private final Supplier<AccountLists> accounts;
    private final boolean everyAccount;
    private final AlertFactory alerts;
    private final ObserverInput input;
    private final Clock clock;

    public AdOffHoursAuth(
            SiteProfile site, Supplier<AccountLists> accounts, AlertFactory alerts, ObserverInput input, Clock clock) {
        this(site, accounts, false, alerts, input, clock);
    }

    /** @param everyAccount judge every account, not only the privileged ones ({@code accounts: all}) */
    public AdOffHoursAuth(
            SiteProfile site,
            Supplier<AccountLists> accounts,
            boolean everyAccount,
            AlertFactory alerts,
            ObserverInput input,
            Clock clock) {
        this.everyAccount = everyAccount;
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
        if (a == null || !a.success() || Accounts.isBuiltIn(a.account())) {
            return;
        }
        boolean privileged = accounts.get().isPrivileged(a.account());
        if (!privileged && !everyAccount) {
            return;
        }
        long type = e.number("LogonType");
        if (a.eventId() == 4624) {
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
        // a remote desktop session outside hours is the case the guide calls out: worded as such
        boolean remote = a.eventId() == 4624 && type == 10;
        sink.emit(WindowsAlerts.start(alerts, RULE, input, e, clock)
                .severity(privileged || remote ? RULE.severity() : Severity.LOW)
                .field(AlertField.USER_NAME, a.rawAccount())
                .field(AlertField.SOURCE_IP, a.address())
                .field(AlertField.EVENT_ACTION, remote ? "remote_interactive" : "logon")
                .variant(remote ? "remote_interactive" : null)
                .args(
                        a.rawAccount(),
                        e.computer(),
                        LOCAL.format(when.atZone(site.timezone())) + " "
                                + site.timezone().getId())
                .build());
    }
}
