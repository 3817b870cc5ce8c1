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
 * {@code ad.account_created}: a user account was created (4720). The guide's "unexpected accounts"
 * start with accounts appearing: each one should match a request the administrators know of.
 */
public final class AdAccountCreated implements Detection<WindowsEvent> {

    public static final Rule RULE = new Rule("ad.account_created", Severity.MEDIUM, "T1136.002");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<WindowsEvent> SPEC = RuleSpec.of(
            RULE, WindowsEvent.class, (ctx, o) -> new AdAccountCreated(ctx.alerts(), ctx.input(), ctx.clock()));

    private final AlertFactory alerts;
    private final ObserverInput input;
    private final Clock clock;

    public AdAccountCreated(AlertFactory alerts, ObserverInput input, Clock clock) {
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
        if (e.eventId() != 4720) {
            return;
        }
        String account = e.field("TargetUserName");
        String domain = e.field("TargetDomainName");
        String creator = e.field("SubjectUserName");
        String creatorDomain = e.field("SubjectDomainName");
        sink.emit(WindowsAlerts.start(alerts, RULE, input, e, clock)
                .field(AlertField.USER_NAME, account)
                .field(AlertField.USER_DOMAIN, domain)
                .args(qualified(domain, account), qualified(creatorDomain, creator), e.computer())
                .build());
    }

    /** {@code DOMAIN\\name}, or the name alone. */
    static String qualified(String domain, String name) {
        String n = name == null ? "?" : name;
        return domain == null || domain.isBlank() || domain.equals("-") ? n : domain + "\\" + n;
    }
}
