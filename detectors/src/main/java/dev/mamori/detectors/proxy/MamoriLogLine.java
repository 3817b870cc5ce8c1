package dev.mamori.detectors.proxy;

import java.util.Locale;

/**
 * Writes a proxy event as a line of the {@code mamori} access-log format (deploy/squid's
 * {@code logformat mamori}), which {@link ProxyLogParser} reads back with the same client, method,
 * URL, request size, status and User-Agent. How a request seen inline (ICAP) travels to the
 * instance that holds its client's state when several share the work.
 */
public final class MamoriLogLine {
    private MamoriLogLine() {}

    public static String format(ProxyEvent e) {
        long millis = e.time().toEpochMilli();
        return String.format(
                Locale.ROOT,
                "%d.%03d 0 %s TCP_MISS/%s 0 %s %s - HIER_NONE/- - %s \"%s\"",
                Math.floorDiv(millis, 1000),
                Math.floorMod(millis, 1000),
                token(e.client()),
                e.status() < 0 ? "-" : String.format(Locale.ROOT, "%03d", e.status()),
                token(e.method()),
                token(e.url()),
                e.requestBytes() < 0 ? "-" : Long.toString(e.requestBytes()),
                e.userAgent() == null ? "" : e.userAgent().replace("\\", "%5C").replace("\"", "%22"));
    }

    /** A field without the separators of the format. */
    private static String token(String s) {
        if (s == null || s.isEmpty()) {
            return "-";
        }
        return s.replace("%", "%25").replace(" ", "%20").replace("\"", "%22");
    }
}
