package dev.mamori.sensor.alert;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.Severity;
import java.util.Map;

/**
 * An alert as ArcSight CEF: {@code CEF:0|Mamori|sensor|<version>|<rule.id>|<rule.name>|<0-10>|ext}
 * with the standard extension keys (rt, src, spt, dst, dpt, dhost, request, requestMethod,
 * requestClientApplication, suser, sntdom, dvchost, fname, cnt, msg) and the recommendation and
 * ECS-only fields as labelled custom strings.
 */
public final class CefFormat {

    private static final Map<AlertField, String> KEYS = Map.ofEntries(
            Map.entry(AlertField.SOURCE_IP, "src"),
            Map.entry(AlertField.SOURCE_PORT, "spt"),
            Map.entry(AlertField.DESTINATION_IP, "dst"),
            Map.entry(AlertField.DESTINATION_PORT, "dpt"),
            Map.entry(AlertField.DESTINATION_DOMAIN, "dhost"),
            Map.entry(AlertField.NETWORK_TRANSPORT, "proto"),
            Map.entry(AlertField.URL_FULL, "request"),
            Map.entry(AlertField.HTTP_REQUEST_METHOD, "requestMethod"),
            Map.entry(AlertField.USER_AGENT_ORIGINAL, "requestClientApplication"),
            Map.entry(AlertField.USER_NAME, "suser"),
            Map.entry(AlertField.USER_DOMAIN, "sntdom"),
            Map.entry(AlertField.HOST_NAME, "dvchost"),
            Map.entry(AlertField.FILE_NAME, "fname"),
            Map.entry(AlertField.EVENT_COUNT, "cnt"),
            Map.entry(AlertField.EVENT_ACTION, "act"));

    private CefFormat() {}

    /** CEF severity 0-10 for the four alert severities. */
    static int severity(Severity s) {
        return switch (s) {
            case LOW -> 3;
            case MEDIUM -> 5;
            case HIGH -> 8;
            case CRITICAL -> 10;
        };
    }

    public static String format(Alert a, String version) {
        StringBuilder b = new StringBuilder(512);
        b.append("CEF:0|Mamori|sensor|")
                .append(header(version))
                .append('|')
                .append(header(a.ruleId()))
                .append('|')
                .append(header(a.ruleName()))
                .append('|')
                .append(severity(a.severity()))
                .append('|');
        b.append("rt=").append(a.timestamp().toEpochMilli());
        for (Map.Entry<AlertField, Object> f : a.fields().entrySet()) {
            String key = KEYS.get(f.getKey());
            if (key != null) {
                b.append(' ').append(key).append('=').append(value(String.valueOf(f.getValue())));
            }
        }
        b.append(" msg=").append(value(a.message()));
        b.append(" cs1Label=recommendation cs1=").append(value(a.recommendation()));
        b.append(" cs2Label=observer.input cs2=").append(a.input().label());
        Object email = a.field(AlertField.EMAIL_FROM_ADDRESS);
        if (email != null) {
            b.append(" cs3Label=email.from.address cs3=").append(value(email.toString()));
        }
        Object incident = a.field(AlertField.INCIDENT_ID);
        if (incident != null) {
            b.append(" cs4Label=incident.id cs4=").append(value(incident.toString()));
        }
        Object event = a.field(AlertField.WINLOG_EVENT_ID);
        if (event != null) {
            b.append(" cn1Label=winlog.event_id cn1=").append(event);
        }
        return b.toString();
    }

    /** Header fields escape backslash and pipe. */
    static String header(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", " ");
    }

    /** Extension values escape backslash, equals and line breaks. */
    static String value(String s) {
        return s.replace("\\", "\\\\")
                .replace("=", "\\=")
                .replace("\r\n", "\\n")
                .replace("\n", "\\n")
                .replace("\r", "\\r");
    }
}
