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
 * {@code ad.ms14_068}: a Kerberos service ticket request (4769) that failed with 0xF
 * (KDC_ERR_TGT_REVOKED... as PyKEK-style MS14-068 exploits provoke it). The requesting computer may
 * be compromised.
 */
public final class AdMs14068 implements Detection<WindowsEvent> {

    public static final Rule RULE = new Rule("ad.ms14_068", Severity.HIGH, "T1068");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<WindowsEvent> SPEC =
            RuleSpec.of(RULE, WindowsEvent.class, (ctx, o) -> new AdMs14068(ctx.alerts(), ctx.input(), ctx.clock()));

    private final AlertFactory alerts;
    private final ObserverInput input;
    private final Clock clock;

    public AdMs14068(AlertFactory alerts, ObserverInput input, Clock clock) {
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
        if (e.eventId() != 4769 || e.number("Status") != 0xF) {
            return;
        }
        String user = e.field("TargetUserName");
        String source = Accounts.address(e.field("IpAddress"));
        sink.emit(WindowsAlerts.start(alerts, RULE, input, e, clock)
                .field(AlertField.USER_NAME, user)
                .field(AlertField.USER_DOMAIN, e.field("TargetDomainName"))
                .field(AlertField.SOURCE_IP, source)
                .args(user, source == null ? "-" : source)
                .build());
    }
}
