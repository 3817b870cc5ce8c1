package dev.mamori.protocols.syslog;

/**
 * What the syslog listeners report to the application: each parsed message, and the counts an
 * operator needs (bytes, drops by reason, connections). Called on event loops: implementations must
 * not block. When {@link #message} is slow, TCP and TLS stop reading (the sender queues), so the
 * speed of this method is the input's backpressure.
 */
public interface SyslogEvents {

    /** Drop reasons, the {@code reason} label of the drop counter. */
    String OVERSIZE = "oversize";

    String TOO_MANY_CONNECTIONS = "too_many_connections";
    String TLS_HANDSHAKE = "tls_handshake";
    /** {@link #message} threw: a bug, which costs that message and nothing else. */
    String INTERNAL_ERROR = "internal_error";

    void message(SyslogMessage message, String transport);

    default void bytes(String transport, long count) {}

    default void dropped(String transport, String reason) {}

    default void connectionOpened(String transport) {}

    default void connectionClosed(String transport) {}
}
