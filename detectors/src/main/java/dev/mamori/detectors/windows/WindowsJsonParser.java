package dev.mamori.detectors.windows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Windows events as JSON, one object per message: NXLog's {@code im_msvistalog} output
 * ({@code EventID}, {@code Hostname}, {@code SourceName}/{@code ProviderName}, {@code Channel},
 * {@code EventTime} in the device's local time, EventData fields at the top level) and
 * Winlogbeat/ECS ({@code winlog.event_id}, {@code winlog.event_data.*}, {@code winlog.user_data.*},
 * {@code winlog.provider_name}, {@code winlog.computer_name}, {@code @timestamp}; nested or with
 * dotted keys).
 */
public final class WindowsJsonParser {

    /** NXLog keys that describe the record rather than the event's own data. */
    private static final Set<String> NXLOG_META = Set.of(
            "EventID",
            "Hostname",
            "SourceName",
            "ProviderName",
            "Channel",
            "EventTime",
            "EventReceivedTime",
            "RecordNumber",
            "Keywords",
            "EventType",
            "SeverityValue",
            "Severity",
            "ProviderGuid",
            "Version",
            "Task",
            "OpcodeValue",
            "ActivityID",
            "ExecutionProcessID",
            "ExecutionThreadID",
            "Category",
            "Opcode",
            "Message",
            "SourceModuleName",
            "SourceModuleType",
            "AccountName",
            "AccountType",
            "Domain",
            "UserID");

    private static final DateTimeFormatter NXLOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final ObjectMapper json;
    private final ZoneId deviceZone;

    public WindowsJsonParser(ZoneId deviceZone) {
        this.deviceZone = deviceZone;
        JsonFactory f = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32)
                        .maxStringLength(1 << 20)
                        .maxNumberLength(64)
                        .build())
                .build();
        this.json = new ObjectMapper(f);
    }

    /**
     * @return null when the JSON is not a Windows event in a known shape
     * @throws MalformedEventException when the text is not JSON at all
     */
    public WindowsEvent parse(String text) throws MalformedEventException {
        JsonNode n;
        try {
            n = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not valid JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            return null;
        }
        JsonNode winlog = n.get("winlog");
        if ((winlog != null && winlog.isObject() && winlog.has("event_id")) || n.has("winlog.event_id")) {
            return winlogbeat(n, winlog, text);
        }
        if (n.has("EventID")) {
            return nxlog(n, text);
        }
        return null;
    }

    private WindowsEvent nxlog(JsonNode n, String text) {
        Map<String, String> data = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> f : n.properties()) {
            if (!NXLOG_META.contains(f.getKey()) && f.getValue().isValueNode() && data.size() < 512) {
                data.put(f.getKey(), f.getValue().asText());
            }
        }
        String provider = text(n, "SourceName");
        if (provider == null) {
            provider = text(n, "ProviderName");
        }
        return new WindowsEvent(
                n.get("EventID").asInt(-1),
                provider,
                text(n, "Channel"),
                text(n, "Hostname"),
                nxlogTime(text(n, "EventTime")),
                n.path("RecordNumber").asLong(-1),
                data,
                "nxlog",
                text);
    }

    private WindowsEvent winlogbeat(JsonNode n, JsonNode winlog, String text) {
        Map<String, String> data = new LinkedHashMap<>();
        if (winlog != null && winlog.isObject()) {
            copy(winlog.get("event_data"), data);
            copy(winlog.get("user_data"), data);
        }
        // the dotted form with an object value, as `analyze --events` writes it
        copy(n.get("winlog.event_data"), data);
        copy(n.get("winlog.user_data"), data);
        for (Map.Entry<String, JsonNode> f : n.properties()) {
            for (String prefix : new String[] {"winlog.event_data.", "winlog.user_data."}) {
                if (f.getKey().startsWith(prefix) && f.getValue().isValueNode()) {
                    data.putIfAbsent(
                            f.getKey().substring(prefix.length()), f.getValue().asText());
                }
            }
        }
        int id = (int) WindowsEvent.parseNumber(pick(n, winlog, "event_id"));
        long record = WindowsEvent.parseNumber(pick(n, winlog, "record_id"));
        Instant time = null;
        String ts = text(n, "@timestamp");
        if (ts != null) {
            try {
                time = Instant.parse(ts);
            } catch (DateTimeParseException e) {
                time = null;
            }
        }
        return new WindowsEvent(
                id,
                pick(n, winlog, "provider_name"),
                pick(n, winlog, "channel"),
                computer(n, winlog),
                time,
                record,
                data,
                "winlogbeat",
                text);
    }

    /** {@code winlog.computer_name}, else ECS's {@code host.name} (nested or dotted). */
    private static String computer(JsonNode n, JsonNode winlog) {
        String c = pick(n, winlog, "computer_name");
        if (c != null) {
            return c;
        }
        JsonNode host = n.get("host");
        if (host != null && host.isObject() && host.path("name").isValueNode()) {
            return host.get("name").asText();
        }
        return text(n, "host.name");
    }

    /** {@code winlog.<key>} nested or dotted. */
    private static String pick(JsonNode n, JsonNode winlog, String key) {
        if (winlog != null
                && winlog.isObject()
                && winlog.get(key) != null
                && winlog.get(key).isValueNode()) {
            return winlog.get(key).asText();
        }
        return text(n, "winlog." + key);
    }

    private static void copy(JsonNode from, Map<String, String> to) {
        if (from == null || !from.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> f : from.properties()) {
            if (f.getValue().isValueNode() && to.size() < 512) {
                to.putIfAbsent(f.getKey(), f.getValue().asText());
            }
        }
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || !v.isValueNode() || v.isNull() ? null : v.asText();
    }

    private Instant nxlogTime(String t) {
        if (t == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(t, NXLOG_TIME).atZone(deviceZone).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(t);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
