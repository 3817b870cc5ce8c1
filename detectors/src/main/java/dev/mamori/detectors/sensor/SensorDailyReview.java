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
 * {@code sensor.daily_review}: a day of the guide's periodic review has closed. One summary event
 * per day tells the SOC the review is ready, with the day's headline figures, so that reading it is
 * part of the day's work rather than something remembered.
 */
public final class SensorDailyReview implements Detection<SensorEvent> {

    public static final Rule RULE = new Rule("sensor.daily_review", Severity.LOW, null);

    public static final RuleSpec<SensorEvent> SPEC =
            RuleSpec.of(RULE, SensorEvent.class, (ctx, o) -> new SensorDailyReview(ctx.alerts(), ctx.input()));

    private final AlertFactory alerts;
    private final ObserverInput input;

    public SensorDailyReview(AlertFactory alerts, ObserverInput input) {
        this.alerts = alerts;
        this.input = input;
    }

    @Override
    public Rule rule() {
        return RULE;
    }

    @Override
    public void inspect(SensorEvent event, AlertSink sink) {
        if (!(event instanceof SensorEvent.DayClosed e)) {
            return;
        }
        sink.emit(alerts.alert(RULE, input)
                .at(e.at())
                .field(AlertField.EVENT_COUNT, e.alerts())
                .args(
                        e.date().toString(),
                        e.firewallEvents(),
                        e.deniedOutbound(),
                        e.proxyRequests(),
                        e.authentications(),
                        e.authFailures(),
                        e.alerts())
                .build());
    }
}
