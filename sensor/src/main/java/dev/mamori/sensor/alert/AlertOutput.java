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

    /**
     * For a stream without acknowledgements: checks that what the last {@link #flush} sent was not
     * sent into a connection the receiver has since closed (then throws). No-op by default.
     */
    default void confirm() throws IOException {}

    /** Whether alerts wait to be sent (a spool): then the writer calls {@link #flush} when idle too. */
    default boolean hasBacklog() {
        return false;
    }

    /** Flush, make durable where the medium allows (fsync), and release. */
    @Override
    void close() throws IOException;
}
