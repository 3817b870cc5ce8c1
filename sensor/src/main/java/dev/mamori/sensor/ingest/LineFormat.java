package dev.mamori.sensor.ingest;

import dev.mamori.detectors.alert.ObserverInput;

/**
 * One log format (a firewall family, a proxy log, Windows events): recognises its lines, parses
 * them, and runs its detections on the result.
 */
public interface LineFormat {

    /** The {@code format} label of {@code mamori_events_parsed_total}. */
    String name();

    /**
     * Handles the line if it is in this format.
     *
     * @return false when the line is not in this format (the router then offers it to the next)
     */
    boolean handle(String line, ObserverInput input);
}
