package dev.mamori.detectors.proxy;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.Finding;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.OptionSpec;
import dev.mamori.detectors.rule.RuleSpec;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code proxy.connect_nonstandard_port}: a CONNECT tunnel to a port outside the allowed list (80,
 * 443 by default). Malware tunnels its own protocols through the proxy this way.
 */
public final class ProxyConnectNonstandardPort implements Detection<ProxyEvent> {

    public static final Rule RULE = new Rule("proxy.connect_nonstandard_port", Severity.MEDIUM, "T1090");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<ProxyEvent> SPEC = RuleSpec.of(
                    RULE,
                    ProxyEvent.class,
                    (ctx, o) -> new ProxyConnectNonstandardPort(
                            new HashSet<>(o.get().ports("allowed_ports")), ctx.alerts(), ctx.input(), ctx.clock()),
                    OptionSpec.ports("allowed_ports", 80, 443))
            .blocking();

    private final Set<Integer> allowedPorts;
    private final AlertFactory alerts;
    private final ObserverInput input;
    private final Clock clock;

    public ProxyConnectNonstandardPort(
            Set<Integer> allowedPorts, AlertFactory alerts, ObserverInput input, Clock clock) {
        this.allowedPorts = Set.copyOf(allowedPorts);
        this.alerts = alerts;
        this.input = input;
        this.clock = clock;
    }

    @Override
    public Rule rule() {
        return RULE;
    }

    @Override
    public void inspect(ProxyEvent e, AlertSink sink) {
        if (e.isConnect() && !allowedPorts.contains(e.port())) {
            sink.found(new Finding(RULE.id(), alerts.catalog().reason(RULE.id(), e.port())));
            sink.emit(ProxyAlerts.start(alerts, RULE, input, e, clock)
                    .args(e.client(), e.host(), e.port())
                    .build());
        }
    }
}
