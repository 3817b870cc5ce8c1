package dev.mamori.protocols.smtp;

import java.util.List;
import java.util.Map;

/**
 * What the relay asks the application about each message, on a worker thread, after the whole
 * message arrived and before the next hop sees it.
 */
public interface SmtpService {

    /** The transaction as the sender gave it. */
    record Envelope(
            String client, String helo, String mailFrom, List<String> recipients, Map<String, String> xforward) {
        public Envelope {
            recipients = List.copyOf(recipients);
            xforward = Map.copyOf(xforward);
        }
    }

    /** The decision for one message. */
    sealed interface Verdict permits Relay, Reject {}

    /** Relay {@code message} (the original, or with added headers) to the next hop. */
    record Relay(byte[] message, String verdict) implements Verdict {}

    /** Do not relay; answer the sender with {@code reply} (e.g. {@code 554 5.7.1 ...}). */
    record Reject(String reply) implements Verdict {}

    Verdict inspect(Envelope envelope, byte[] message);

    /**
     * One message's outcome for metrics: relayed, tagged, rejected or deferred (the sender was told
     * 4xx, including when the next hop could not be reached before the message was sent).
     */
    default void outcome(String verdict) {}

    /** A connection turned away before its session began (past max_connections), for metrics. */
    default void refused(String reason) {}
}
