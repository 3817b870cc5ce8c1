package dev.mamori.detectors.firewall;

import java.time.Instant;
import java.util.Objects;

/**
 * One firewall log entry, normalised across vendors. Ports and bytes are -1 when the log does not
 * give them; zones hold the zone or, where the vendor logs none, the interface name.
 *
 * @param format which parser read it ({@code panos}, {@code fortigate}, {@code cisco_asa},
 *     {@code netfilter}, {@code cef})
 */
public record FirewallEvent(
        Instant time,
        String device,
        String format,
        FirewallAction action,
        String protocol,
        String sourceIp,
        int sourcePort,
        String destinationIp,
        int destinationPort,
        String sourceZone,
        String destinationZone,
        long bytes,
        String original) {

    public FirewallEvent {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(sourceIp, "sourceIp");
        Objects.requireNonNull(destinationIp, "destinationIp");
    }
}
