package dev.mamori.sensor.ingest;

import dev.mamori.detectors.alert.ObserverInput;
import java.time.Instant;

/**
 * One log line as the formats see it, whichever way it came: the message text (syslog header
 * removed), the device that sent or wrote it, its timestamp when the header had one, the input, and
 * the address it came from over the network (null when read from a file).
 *
 * @param followUp a request already inspected inline on another instance, sent on for the
 *     detections whose state lives here ({@link Ingest#followUps()}); only those see it, and it is
 *     not counted again in the reviews
 */
public record LogRecord(
        String message, String host, Instant time, ObserverInput input, String sender, boolean followUp) {

    public LogRecord(String message, String host, Instant time, ObserverInput input, String sender) {
        this(message, host, time, input, sender, false);
    }

    /** A line read without a network sender (a file, a test). */
    public LogRecord(String message, String host, Instant time, ObserverInput input) {
        this(message, host, time, input, null, false);
    }
}
