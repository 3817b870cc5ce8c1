package dev.mamori.sensor.alert;

import dev.mamori.detectors.alert.Alert;
import java.io.IOException;

/**
 * A destination for alerts, called from its own writer thread only (see {@link QueuedOutput}), so
 * implementations need no locking and may block.
 */
public interface AlertOutput extends AutoCloseable {

    /** A short name for metrics and logs, e.g. {@code file}. */
    String name();

    void write(Alert alert) throws IOException;

    /** Called when the queue runs empty: make what was written visible (flush buffers). */
    void flush() throws IOException;

    /** Flush, make durable where the medium allows (fsync), and release. */
    @Override
    void close() throws IOException;
}
