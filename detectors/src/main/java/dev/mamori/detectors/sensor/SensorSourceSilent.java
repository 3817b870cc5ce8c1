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
 * {@code sensor.source_silent}: a device the site expects (a firewall, a proxy, a domain
 * controller) has not been heard for longer than its {@code max_silence}, or a domain controller
 * stopped writing one of the events it is expected to (auditing switched off, a forwarder broken).
 * Until it is fixed, every rule that reads that device is blind.
 */
public final class SensorSourceSilent implements Detection<SensorEvent> {

    public static final Rule RULE = new Rule("sensor.source_silent", Severity.MEDIUM, "T1562");

    public static final RuleSpec<SensorEvent> SPEC =
            RuleSpec.of(RULE, SensorEvent.class, (ctx, o) -> new SensorSourceSilent(ctx.alerts(), ctx.input()));

    private final AlertFactory alerts;
    private final ObserverInput input;

    public SensorSourceSilent(AlertFactory alerts, ObserverInput input) {
        this.alerts = alerts;
        this.input = input;
    }

    @Override
    public Rule rule() {
        return RULE;
    }

    @Override
    public void inspect(SensorEvent event, AlertSink sink) {
        if (!(event instanceof SensorEvent.SourceSilent e)) {
            return;
        }
        String since = e.lastSeen() == null
                ? alerts.catalog().text("never_seen")
                : e.lastSeen().toString();
        AlertFactory.Builder b = alerts.alert(RULE, input)
                .at(e.at())
                .field(AlertField.HOST_NAME, e.host() != null ? e.host() : e.source())
                .field(AlertField.SOURCE_IP, e.address())
                .field(AlertField.EVENT_ACTION, e.kind());
        if (e.eventId() != null) {
            b.field(AlertField.WINLOG_EVENT_ID, e.eventId().longValue())
                    .variant("event")
                    .args(e.source(), e.eventId(), alerts.catalog().duration(SensorEvent.roughly(e.quiet())), since);
        } else {
            b.args(e.source(), e.kind(), alerts.catalog().duration(SensorEvent.roughly(e.quiet())), since);
        }
        sink.emit(b.build());
    }
}
