package dev.mamori.detectors.alert;

/**
 * Where detections put their alerts. Implementations must not block the caller: detections run on
 * input threads (event loops included).
 */
@FunctionalInterface
public interface AlertSink {
    void emit(Alert alert);
}
