package dev.mamori.detectors.alert;

/**
 * Where detections put their alerts, and what they found on the event at hand. Implementations must
 * not block the caller: detections run on input threads (event loops included).
 */
@FunctionalInterface
public interface AlertSink {

    void emit(Alert alert);

    /**
     * A rule matched this event, whether or not it alerts now. Rules an inline input may decide on
     * (ICAP, the SMTP hook) report every match here; only an inline input's sink keeps them.
     */
    default void found(Finding finding) {}
}
