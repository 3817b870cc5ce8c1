package dev.mamori.detectors.rule;

import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.Rule;
import java.time.Instant;

/**
 * A detection with keyed state (aggregation windows, baselines, streaks): the sensor calls
 * {@link #tick} about once a second so held alerts go out when their window closes, and
 * {@link #drain} at the end of an offline run and at shutdown, so nothing held is lost.
 */
public interface Stateful {

    /** The rule this state belongs to. */
    Rule rule();

    void tick(Instant now, AlertSink sink);

    void drain(AlertSink sink);

    /**
     * Keys (clients, accounts, sources) this detection could not track because its bounded state was
     * full ({@code sensor.max_tracked_keys}); what it did instead is in its own documentation.
     */
    default long keysDropped() {
        return 0;
    }

    /** Keys held in its bounded state now (mamori_detector_tracked_keys). */
    default int trackedKeys() {
        return 0;
    }
}
