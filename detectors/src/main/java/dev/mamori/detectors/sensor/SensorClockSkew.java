package dev.mamori.detectors.sensor;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.RuleSpec;

/**
 * {@code sensor.clock_skew}: a source's event times differ from their arrival by more than
 * {@code site.max_clock_skew}. Off-hours rules, daily streaks and the correlation of events across
 * devices all rest on the devices' clocks; a wrong clock (or a forwarder replaying an old backlog)
 * puts events in the wrong hour or day.
 */
public final class SensorClockSkew implements Detection<SensorEvent> {

    public static final Rule RULE = new Rule("sensor.clock_skew", Severity.LOW, null);

    public static final RuleSpec<SensorEvent> SPEC =
            RuleSpec.of(RULE, SensorEvent.class, (ctx, o) -> new SensorClockSkew(ctx.alerts(), ctx.input()));

    private final AlertFactory alerts;
    private final ObserverInput input;

    public SensorClockSkew(AlertFactory alerts, ObserverInput input) {
        this.alerts = alerts;
        this.input = input;
    }

    @Override
    public Rule rule() {
        return RULE;
    }

    @Override
    public void inspect(SensorEvent event, AlertSink sink) {
        if (!(event instanceof SensorEvent.ClockSkewed e)) {
            return;
        }
        sink.emit(alerts.alert(RULE, input)
                .at(e.at())
                .field(AlertField.HOST_NAME, e.host() != null ? e.host() : e.source())
                .field(AlertField.SOURCE_IP, e.address())
                .field(AlertField.EVENT_START, e.eventTime().toString())
                .variant(e.skew().isNegative() ? "behind" : null)
                .args(e.source(), alerts.catalog().duration(SensorEvent.roughly(e.skew())), e.eventTime())
                .build());
    }
}
