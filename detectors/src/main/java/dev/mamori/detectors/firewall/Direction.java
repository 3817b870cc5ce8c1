package dev.mamori.detectors.firewall;

import dev.mamori.detectors.site.SiteProfile;
import java.util.Locale;

/**
 * Which way traffic crossed the site boundary. A side is inside when its address is in
 * {@code site.internal_networks} and its zone (or interface) is not one of {@code site.external_zones};
 * a zone named external makes that side outside whatever its address (e.g. public addresses in a
 * DMZ behind NAT are still reached "outbound" through the untrust zone).
 */
public enum Direction {
    OUTBOUND,
    INBOUND,
    INTERNAL,
    EXTERNAL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Direction of(SiteProfile site, FirewallEvent e) {
        boolean srcIn = !site.isExternalZone(e.sourceZone()) && site.isInternal(e.sourceIp());
        boolean dstIn = !site.isExternalZone(e.destinationZone()) && site.isInternal(e.destinationIp());
        if (srcIn) {
            return dstIn ? INTERNAL : OUTBOUND;
        }
        return dstIn ? INBOUND : EXTERNAL;
    }
}
