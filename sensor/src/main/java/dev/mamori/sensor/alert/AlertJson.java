package dev.mamori.sensor.alert;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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
        g.writeStringField("@timestamp", timestamp(alert.timestamp()));
        g.writeStringField("rule.id", alert.ruleId());
        g.writeStringField("rule.name", alert.ruleName());
        g.writeStringField("rule.severity", alert.severity().label());
        g.writeStringField("message", alert.message());
        g.writeStringField("observer.input", alert.input().label());
        g.writeStringField("recommendation", alert.recommendation());
        for (Map.Entry<AlertField, Object> f : alert.fields().entrySet()) {
            if (f.getValue() instanceof Long n) {
                g.writeNumberField(f.getKey().ecsName(), n);
            } else {
                g.writeStringField(f.getKey().ecsName(), (String) f.getValue());
            }
        }
        g.writeEndObject();
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
