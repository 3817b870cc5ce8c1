package dev.mamori.sensor.ingest;

import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.sensor.SensorEvent;
import java.util.List;

/**
 * The enabled {@code sensor.*} rules and where their alerts go: what the source tracker and the
 * review book notice is shown to each. Disabling a rule in {@code detectors:} silences its notices.
 */
public final class SensorRules {

    private final List<Detection<SensorEvent>> rules;
    private final AlertSink sink;

    public SensorRules(List<Detection<SensorEvent>> rules, AlertSink sink) {
        this.rules = List.copyOf(rules);
        this.sink = sink;
    }

    /** Must not block: called on input threads (clock skew) and the ticker. */
    public void notice(SensorEvent event) {
        for (Detection<SensorEvent> rule : rules) {
            rule.inspect(event, sink);
        }
    }
}
