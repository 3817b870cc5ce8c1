package dev.mamori.sensor.ingest;

import dev.mamori.detectors.alert.ObserverInput;
import java.time.Instant;

/**
 * One log line as the formats see it, whichever way it came: the message text (syslog header
 * removed), the device that sent or wrote it, its timestamp when the header had one, and the input.
 */
public record LogRecord(String message, String host, Instant time, ObserverInput input) {}
