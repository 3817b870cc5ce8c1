package dev.mamori.detectors.sigma;

import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.firewall.FirewallEvent;
import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.detectors.windows.WindowsEvent;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * What an alert says about the event a Sigma rule matched: its time, where and what it was (for the
 * message), and the alert fields it fills, as the built-in rules fill them for such an event.
 *
 * @param windowTime when it counts for correlation windows ({@link dev.mamori.detectors.state.TimeBasis})
 */
record Evidence(Instant time, Instant windowTime, String where, String what, Map<AlertField, Object> fields) {

    static Evidence of(WindowsEvent e, Instant time, Instant windowTime) {
        Map<AlertField, Object> f = new EnumMap<>(AlertField.class);
        put(f, AlertField.HOST_NAME, e.computer());
        f.put(AlertField.WINLOG_EVENT_ID, (long) e.eventId());
        put(f, AlertField.USER_NAME, first(e, "TargetUserName", "SubjectUserName", "User"));
        put(f, AlertField.SOURCE_IP, first(e, "IpAddress", "SourceIp", "SourceAddress"));
        put(f, AlertField.EVENT_ORIGINAL, e.original());
        return new Evidence(
                time, windowTime, e.computer() == null ? "?" : e.computer(), Integer.toString(e.eventId()), f);
    }

    static Evidence of(ProxyEvent e, Instant time, Instant windowTime) {
        Map<AlertField, Object> f = new EnumMap<>(AlertField.class);
        put(f, AlertField.SOURCE_IP, e.client());
        put(f, AlertField.DESTINATION_DOMAIN, e.host());
        if (e.port() > 0) {
            f.put(AlertField.DESTINATION_PORT, (long) e.port());
        }
        put(f, AlertField.URL_FULL, e.url());
        put(f, AlertField.HTTP_REQUEST_METHOD, e.method());
        put(f, AlertField.USER_AGENT_ORIGINAL, e.userAgent());
        put(f, AlertField.EVENT_ORIGINAL, e.original());
        return new Evidence(time, windowTime, e.client() == null ? "?" : e.client(), e.method() + " " + e.url(), f);
    }

    static Evidence of(FirewallEvent e, Instant time, Instant windowTime) {
        Map<AlertField, Object> f = new EnumMap<>(AlertField.class);
        put(f, AlertField.SOURCE_IP, e.sourceIp());
        if (e.sourcePort() >= 0) {
            f.put(AlertField.SOURCE_PORT, (long) e.sourcePort());
        }
        put(f, AlertField.DESTINATION_IP, e.destinationIp());
        if (e.destinationPort() >= 0) {
            f.put(AlertField.DESTINATION_PORT, (long) e.destinationPort());
        }
        put(f, AlertField.NETWORK_TRANSPORT, e.protocol());
        if (e.action() != null) {
            f.put(AlertField.EVENT_ACTION, e.action().label());
        }
        put(f, AlertField.HOST_NAME, e.device());
        put(f, AlertField.EVENT_ORIGINAL, e.original());
        String what = (e.action() == null ? "" : e.action().label() + " ")
                + e.sourceIp() + (e.sourcePort() >= 0 ? ":" + e.sourcePort() : "")
                + " -> " + e.destinationIp() + (e.destinationPort() >= 0 ? ":" + e.destinationPort() : "");
        return new Evidence(time, windowTime, e.device() == null ? "?" : e.device(), what, f);
    }

    private static String first(WindowsEvent e, String... names) {
        for (String n : names) {
            String v = e.field(n);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static void put(Map<AlertField, Object> fields, AlertField f, String v) {
        if (v != null && !v.isBlank()) {
            fields.put(f, v);
        }
    }
}
