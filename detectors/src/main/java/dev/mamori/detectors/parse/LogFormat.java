package dev.mamori.detectors.parse;

import java.time.Instant;

/**
 * A family of log formats (firewalls, Windows events, proxy logs, Postfix warnings) read from one
 * line's message. Implementations look for their signatures first, so a line that is not theirs
 * costs little, and never throw for what a sender wrote: a line they cannot read is
 * {@link ParseOutcome.Malformed}.
 *
 * @param <T> the event type it makes
 */
public interface LogFormat<T> {

    /** A short name for logs: {@code firewall}, {@code windows}, {@code proxy}, {@code mail}. */
    String family();

    /**
     * @param host the sending device as the transport or syslog header names it (may be null)
     * @param time the syslog header's time (may be null)
     */
    ParseOutcome<T> parse(String message, String host, Instant time);
}
