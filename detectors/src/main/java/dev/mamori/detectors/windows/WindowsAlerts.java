package dev.mamori.detectors.windows;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import java.time.Clock;

/** The fields every AD alert carries, filled the same way by each detection. */
final class WindowsAlerts {

    /** Keeps {@code event.original} of one event bounded; an export can hold megabytes. */
    static final int MAX_ORIGINAL = 16 * 1024;

    private WindowsAlerts() {}

    static AlertFactory.Builder start(
            AlertFactory alerts, Rule rule, ObserverInput input, WindowsEvent e, Clock clock) {
        String original = e.original();
        if (original != null && original.length() > MAX_ORIGINAL) {
            original = original.substring(0, MAX_ORIGINAL) + "...";
        }
        return alerts.alert(rule, input)
                .at(e.time() != null ? e.time() : clock.instant())
                .field(AlertField.HOST_NAME, e.computer())
                .field(AlertField.WINLOG_EVENT_ID, e.eventId())
                .field(AlertField.EVENT_ORIGINAL, original);
    }
}
