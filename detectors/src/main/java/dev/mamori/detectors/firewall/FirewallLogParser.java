package dev.mamori.detectors.firewall;

import java.time.Instant;

/** One vendor format. */
public interface FirewallLogParser {

    /** The {@code format} label for metrics and events. */
    String format();

    /**
     * Parses the message if it is in this format.
     *
     * @param message the syslog message (the part after the header)
     * @param device the sending device (syslog host)
     * @param time the syslog timestamp, or null; used when the log itself has no better one
     * @return null when the message is not in this format
     * @throws MalformedLogException when it is, but cannot be read
     */
    FirewallEvent parse(String message, String device, Instant time) throws MalformedLogException;
}
