package dev.mamori.detectors.site;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A device the site expects to hear from ({@code site.sources}): matched by the sender's address
 * or by its name (the syslog HOSTNAME or the Windows Computer). Quiet past {@code maxSilence}, or
 * without one of its {@code expectEvents} for that long, it is reported by
 * {@code sensor.source_silent}.
 *
 * @param address the sender's IP address, or null
 * @param host the device's name, or null; a short name also matches the same name qualified
 */
public record ExpectedSource(
        String name, String address, String host, String kind, Duration maxSilence, List<Integer> expectEvents) {

    public ExpectedSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(maxSilence, "maxSilence");
        if (address == null && host == null) {
            throw new IllegalArgumentException(name + ": needs an address or a host");
        }
        expectEvents = List.copyOf(expectEvents);
    }

    /** Whether a device calling itself {@code name} is this one (case-insensitive; DC01 matches DC01.corp.example). */
    public boolean hostMatches(String name) {
        return host != null && name != null && sameHost(host, name);
    }

    /** Host names compared as Windows and syslog write them: case-insensitive, short name = its FQDN. */
    public static boolean sameHost(String a, String b) {
        if (a.equalsIgnoreCase(b)) {
            return true;
        }
        String la = a.toLowerCase(Locale.ROOT);
        String lb = b.toLowerCase(Locale.ROOT);
        return la.indexOf('.') < 0 && lb.startsWith(la + ".") || lb.indexOf('.') < 0 && la.startsWith(lb + ".");
    }
}
