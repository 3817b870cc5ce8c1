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

/**
 * {@code ad.log_cleared}: the Security log was cleared (1102), or another log (104, written to the
 * System log, naming the log cleared), both from Microsoft-Windows-Eventlog (other providers reuse
 * the numbers for unrelated events). Attackers clear logs to hide their traces.
 */
public final class AdLogCleared implements Detection<WindowsEvent> {

    public static final Rule RULE = new Rule("ad.log_cleared", Severity.HIGH, "T1070.001");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<WindowsEvent> SPEC =
            RuleSpec.of(RULE, WindowsEvent.class, (ctx, o) -> new AdLogCleared(ctx.alerts(), ctx.input(), ctx.clock()));

    private final AlertFactory alerts;
    private final ObserverInput input;
    private final Clock clock;

    public AdLogCleared(AlertFactory alerts, ObserverInput input, Clock clock) {
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
        boolean security = e.eventId() == 1102;
        if (!security && e.eventId() != 104 || !"Microsoft-Windows-Eventlog".equalsIgnoreCase(e.provider())) {
            return;
        }
        String user = e.field("SubjectUserName");
        String domain = e.field("SubjectDomainName");
        // 104 (System log) names the cleared log in its UserData; 1102 is always the Security log
        String cleared = security ? "Security" : e.field("Channel") != null ? e.field("Channel") : e.channel();
        sink.emit(WindowsAlerts.start(alerts, RULE, input, e, clock)
                .field(AlertField.USER_NAME, user)
                .field(AlertField.USER_DOMAIN, domain)
                .args(
                        cleared == null ? "?" : cleared,
                        e.computer(),
                        (domain == null ? "" : domain + "\\") + (user == null ? "?" : user))
                .build());
    }
}
