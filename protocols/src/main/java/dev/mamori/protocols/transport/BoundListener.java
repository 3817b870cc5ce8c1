package dev.mamori.protocols.transport;

import java.net.InetSocketAddress;

/**
 * A listener that is up: its configuration name (e.g. {@code syslog}), its transport
 * ({@code tcp}, {@code udp}, {@code tls}) and the address it actually bound (port 0 resolved).
 */
public record BoundListener(String name, String transport, InetSocketAddress address) {

    public int port() {
        return address.getPort();
    }

    public String host() {
        return address.getAddress().getHostAddress();
    }
}
