package dev.mamori.detectors.windows;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.RuleSpec;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * {@code ad.unexpected_privilege}: special privileges were assigned at logon (4672) to an account
 * that is not in {@code site.privileged_accounts}. Service, machine and virtual accounts are expected.
 */
public final class AdUnexpectedPrivilege implements Detection<WindowsEvent> {

    public static final Rule RULE = new Rule("ad.unexpected_privilege", Severity.MEDIUM, "T1078.002");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<WindowsEvent> SPEC = RuleSpec.of(
            RULE,
            WindowsEvent.class,
            (ctx, o) -> new AdUnexpectedPrivilege(
                    AccountLists.live(ctx.privilegedAccounts(), o, null, null),
                    ctx.alerts(),
                    ctx.input(),
                    ctx.clock()));

    private final Supplier<AccountLists> accounts;
    private final AlertFactory alerts;
    private final ObserverInput input;
    private final Clock clock;

    public AdUnexpectedPrivilege(
            Supplier<AccountLists> accounts, AlertFactory alerts, ObserverInput input, Clock clock) {
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
        if (e.eventId() != 4672) {
            return;
        }
        String user = e.field("SubjectUserName");
        if (user == null || Accounts.isBuiltIn(user) || accounts.get().isPrivileged(Accounts.normalise(user))) {
            return;
        }
        String domain = e.field("SubjectDomainName");
        sink.emit(WindowsAlerts.start(alerts, RULE, input, e, clock)
                .field(AlertField.USER_NAME, user)
                .field(AlertField.USER_DOMAIN, domain)
                .args(domain == null ? "" : domain, user, e.computer())
                .build());
    }
}
