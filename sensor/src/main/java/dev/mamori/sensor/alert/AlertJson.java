package dev.mamori.sensor.alert;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes an alert as one JSON object with the contract's field names as flat, dotted keys
 * ({@code "rule.id"}), the way ECS loggers write them: the always-present fields first, then the
 * optional ones in a fixed order. Timestamps are UTC with milliseconds.
 */
public final class AlertJson {

    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private AlertJson() {}

    /** The alert as a single line, without the line terminator. */
    public static String toJson(Alert alert) {
        StringWriter out = new StringWriter(512);
        write(alert, out);
        return out.toString();
    }

    /**
     * The alert as one line of UTF-8 JSON, its line feed included, appended to {@code out}: no
     * String in between (characters outside the BMP are written as JSON escapes).
     */
    public static void writeLine(Alert alert, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            write(alert, g);
        }
        out.write('\n');
    }

    public static void write(Alert alert, Writer out) {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            write(alert, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Alert alert, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeFieldName(TIMESTAMP_NAME);
        g.writeString(timestamp(alert.timestamp()));
        g.writeFieldName(RULE_ID);
        g.writeString(constant(alert.ruleId()));
        g.writeFieldName(RULE_NAME);
        g.writeString(constant(alert.ruleName()));
        g.writeFieldName(RULE_SEVERITY);
        g.writeString(constant(alert.severity().label()));
        g.writeFieldName(MESSAGE);
        g.writeString(alert.message());
        g.writeFieldName(OBSERVER_INPUT);
        g.writeString(constant(alert.input().label()));
        g.writeFieldName(RECOMMENDATION);
        g.writeString(constant(alert.recommendation()));
        for (Map.Entry<AlertField, Object> f : alert.fields().entrySet()) {
            g.writeFieldName(FIELD_NAMES[f.getKey().ordinal()]);
            if (f.getValue() instanceof Long n) {
                g.writeNumber(n);
            } else {
                g.writeString((String) f.getValue());
            }
        }
        g.writeEndObject();
    }

    private static final SerializedString TIMESTAMP_NAME = new SerializedString("@timestamp");
    private static final SerializedString RULE_ID = new SerializedString("rule.id");
    private static final SerializedString RULE_NAME = new SerializedString("rule.name");
    private static final SerializedString RULE_SEVERITY = new SerializedString("rule.severity");
    private static final SerializedString MESSAGE = new SerializedString("message");
    private static final SerializedString OBSERVER_INPUT = new SerializedString("observer.input");
    private static final SerializedString RECOMMENDATION = new SerializedString("recommendation");
    private static final SerializedString[] FIELD_NAMES = Arrays.stream(AlertField.values())
            .map(f -> new SerializedString(f.ecsName()))
            .toArray(SerializedString[]::new);

    /**
     * Texts that come from the rules and the catalog (rule ids and names, recommendations, labels)
     * repeat from alert to alert: each is escaped and encoded once ({@link SerializedString} keeps
     * its UTF-8 bytes) instead of per line, where it was most of an alert line's cost. Bounded, in
     * case a rule ever made these texts up per alert.
     */
    private static final Map<String, SerializedString> CONSTANTS = new ConcurrentHashMap<>();

    static final int MAX_CONSTANTS = 4096;

    static int constantsKept() {
        return CONSTANTS.size();
    }

    private static SerializedString constant(String text) {
        SerializedString s = CONSTANTS.get(text);
        if (s == null) {
            s = new SerializedString(text);
            if (CONSTANTS.size() < MAX_CONSTANTS) {
                CONSTANTS.put(text, s);
            }
        }
        return s;
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in UTC. Years 1-9999 are written by hand: the formatter took
     * a fifth of the time an alert line cost (an ICAP request alerting every time).
     */
    static String timestamp(Instant t) {
        long seconds = t.getEpochSecond();
        long days = Math.floorDiv(seconds, 86_400);
        if (days < MIN_DAY || days > MAX_DAY) {
            return TIMESTAMP.format(t);
        }
        LocalDate date = LocalDate.ofEpochDay(days);
        int secondOfDay = Math.floorMod(seconds, 86_400);
        char[] c = "0000-00-00T00:00:00.000Z".toCharArray();
        put(c, 0, date.getYear(), 4);
        put(c, 5, date.getMonthValue(), 2);
        put(c, 8, date.getDayOfMonth(), 2);
        put(c, 11, secondOfDay / 3600, 2);
        put(c, 14, secondOfDay / 60 % 60, 2);
        put(c, 17, secondOfDay % 60, 2);
        put(c, 20, t.getNano() / 1_000_000, 3);
        return new String(c);
    }

    private static final long MIN_DAY = LocalDate.of(1, 1, 1).toEpochDay(); // before it, "yyyy" counts eras
    private static final long MAX_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

    /** {@code value} as {@code width} decimal digits at {@code at}. */
    private static void put(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static final ObjectMapper READER = new ObjectMapper();

    /**
     * The alert a line of {@link #toJson} describes (what a spool keeps is read back this way).
     *
     * @throws IOException when the text is not such an alert
     */
    public static Alert read(String json) throws IOException {
        JsonNode n = READER.readTree(json);
        if (n == null || !n.isObject()) {
            throw new IOException("not an alert object");
        }
        Map<AlertField, Object> fields = new EnumMap<>(AlertField.class);
        for (AlertField f : AlertField.values()) {
            JsonNode v = n.get(f.ecsName());
            if (v != null && !v.isNull()) {
                fields.put(f, v.isIntegralNumber() ? (Object) v.asLong() : v.asText());
            }
        }
        String input = n.path("observer.input").asText();
        ObserverInput in = Arrays.stream(ObserverInput.values())
                .filter(o -> o.label().equals(input))
                .findFirst()
                .orElseThrow(() -> new IOException("unknown observer.input '" + input + "'"));
        try {
            return new Alert(
                    Instant.parse(n.path("@timestamp").asText()),
                    n.path("rule.id").asText(),
                    n.path("rule.name").asText(),
                    Severity.fromLabel(n.path("rule.severity").asText()),
                    n.path("message").asText(),
                    in,
                    n.path("recommendation").asText(),
                    fields);
        } catch (RuntimeException e) {
            throw new IOException("not an alert: " + e.getMessage(), e);
        }
    }
}
