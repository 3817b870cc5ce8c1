package dev.mamori.protocols.transport;

import java.net.InetSocketAddress;

/** A listener could not bind; the message names the listener and the address, for the operator. */
public final class ListenerException extends Exception {
    private static final long serialVersionUID = 1L;

    public ListenerException(String name, String transport, InetSocketAddress address, Throwable cause) {
        super(
                name + " (" + transport + "): cannot listen on " + address.getHostString() + ":" + address.getPort()
                        + ": " + reason(cause),
                cause);
    }

    private static String reason(Throwable cause) {
        String m = cause.getMessage();
        return m == null || m.isBlank() ? cause.getClass().getSimpleName() : m;
    }
}
