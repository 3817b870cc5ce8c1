package dev.mamori.protocols.transport;

import java.time.Duration;
import java.util.List;

/**
 * A running server of one input (syslog, SMTP, ICAP, HTTP), as the sensor starts and stops them:
 * what it bound, then on shutdown first no new clients, then the existing ones closed.
 */
public interface Listener extends AutoCloseable {

    /** Every socket it bound (syslog binds up to three). */
    List<BoundListener> bindings();

    /** Closes the listening sockets; open connections go on. */
    void stopAccepting();

    /** Closes every open connection, waiting at most {@code timeout}. */
    void closeConnections(Duration timeout);

    @Override
    default void close() {
        stopAccepting();
        closeConnections(Duration.ofSeconds(5));
    }
}
