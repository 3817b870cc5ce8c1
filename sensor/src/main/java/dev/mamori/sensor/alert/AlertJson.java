package dev.mamori.sensor.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>Written by hand into bytes ({@link JsonBytes}) rather than through a generator: with an alert
 * on every ICAP request the generator's lines were a tenth of the sensor's CPU, and the fields
 * are known (docs/benchmarks.md).
 */
public final class AlertJson {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final AlertField[] FIELDS = AlertField.values();

    private AlertJson() {}

    /** The alert as a single line, without the line terminator. */
    public static String toJson(Alert alert) {
        JsonBytes out = new JsonBytes(512);
        encode(alert, out);
        return out.toString();
    }

    /** The alert as one line of UTF-8 JSON, its line feed included, appended to {@code out} in one write. */
    public static void writeLine(Alert alert, OutputStream out) throws IOException {
        JsonBytes line = new JsonBytes(512);
        encodeLine(alert, line);
        line.writeTo(out);
    }

    /** The alert as one line of UTF-8 JSON, its line feed included, appended to {@code out}. */
    static void encodeLine(Alert alert, JsonBytes out) {
        encode(alert, out);
        out.put('\n');
    }

    /** The alert as a single line to {@code out}, without the line terminator. */
    public static void write(Alert alert, Writer out) throws IOException {
        out.write(toJson(alert));
    }

    private static void encode(Alert alert, JsonBytes out) {
        out.put(TIMESTAMP_NAME);
        out.room(TIMESTAMP_LENGTH + 2);
        out.put('"');
        timestamp(alert.timestamp(), out);
        out.put('"');
        out.put(RULE_ID);
        out.put(constant(alert.ruleId()));
        out.put(RULE_NAME);
        out.put(constant(alert.ruleName()));
        out.put(RULE_SEVERITY);
        out.put(constant(alert.severity().label()));
        out.put(MESSAGE);
        out.string(alert.message());
        out.put(OBSERVER_INPUT);
        out.put(constant(alert.input().label()));
        out.put(RECOMMENDATION);
        out.put(constant(alert.recommendation()));
        Map<AlertField, Object> fields = alert.fields();
        // By the enum's order, as the map iterates, but without an entry object a field.
        for (AlertField f : FIELDS) {
            Object v = fields.get(f);
            if (v == null) {
                continue;
            }
            out.put(FIELD_NAMES[f.ordinal()]);
            if (v instanceof Long n) {
                out.number(n);
            } else {
                out.string((String) v);
            }
        }
        out.put('}');
    }

    private static final byte[] TIMESTAMP_NAME = name('{', "@timestamp");
    private static final byte[] RULE_ID = name(',', "rule.id");
    private static final byte[] RULE_NAME = name(',', "rule.name");
    private static final byte[] RULE_SEVERITY = name(',', "rule.severity");
    private static final byte[] MESSAGE = name(',', "message");
    private static final byte[] OBSERVER_INPUT = name(',', "observer.input");
    private static final byte[] RECOMMENDATION = name(',', "recommendation");
    private static final byte[][] FIELD_NAMES =
            Arrays.stream(FIELDS).map(f -> name(',', f.ecsName())).toArray(byte[][]::new);

    /** {@code before}, the quoted name and the colon, encoded once. */
    private static byte[] name(char before, String name) {
        JsonBytes b = new JsonBytes(name.length() + 8);
        b.put(before);
        b.string(name);
        b.put(':');
        return Arrays.copyOf(b.array(), b.size());
    }

    /**
     * Texts that come from the rules and the catalog (rule ids and names, recommendations, labels)
     * repeat from alert to alert: each is escaped and encoded once instead of per line, where it
     * was most of an alert line's cost. Bounded, in case a rule ever made these texts up per alert.
     */
    private static final Map<String, byte[]> CONSTANTS = new ConcurrentHashMap<>();

    static final int MAX_CONSTANTS = 4096;

    static int constantsKept() {
        return CONSTANTS.size();
    }

    private static byte[] constant(String text) {
        byte[] s = CONSTANTS.get(text);
        if (s == null) {
            JsonBytes b = new JsonBytes(text.length() + 2);
            b.string(text);
            s = Arrays.copyOf(b.array(), b.size());
            if (CONSTANTS.size() < MAX_CONSTANTS) {
                CONSTANTS.put(text, s);
            }
        }
        return s;
    }

    private static final int TIMESTAMP_LENGTH = "0000-00-00T00:00:00.000Z".length();

    /**
     * {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in UTC. Years 1-9999 are written by hand: the formatter took
     * a fifth of the time an alert line cost (an ICAP request alerting every time). Others take
     * ISO 8601's sign ({@code -0044}, {@code +10000}), as {@link Instant#parse} reads them back.
     */
    static String timestamp(Instant t) {
        JsonBytes out = new JsonBytes(TIMESTAMP_LENGTH);
        timestamp(t, out);
        return out.toString();
    }

    private static void timestamp(Instant t, JsonBytes out) {
        long seconds = t.getEpochSecond();
        long days = Math.floorDiv(seconds, 86_400);
        if (days < MIN_DAY || days > MAX_DAY) {
            out.put(TIMESTAMP.format(t).getBytes(StandardCharsets.US_ASCII));
            return;
        }
        LocalDate date = LocalDate.ofEpochDay(days);
        int secondOfDay = Math.floorMod(seconds, 86_400);
        out.room(TIMESTAMP_LENGTH);
        byte[] c = out.array();
        int at = out.size();
        put(c, at, date.getYear(), 4);
        c[at + 4] = '-';
        put(c, at + 5, date.getMonthValue(), 2);
        c[at + 7] = '-';
        put(c, at + 8, date.getDayOfMonth(), 2);
        c[at + 10] = 'T';
        put(c, at + 11, secondOfDay / 3600, 2);
        c[at + 13] = ':';
        put(c, at + 14, secondOfDay / 60 % 60, 2);
        c[at + 16] = ':';
        put(c, at + 17, secondOfDay % 60, 2);
        c[at + 19] = '.';
        put(c, at + 20, t.getNano() / 1_000_000, 3);
        c[at + 23] = 'Z';
        out.skip(TIMESTAMP_LENGTH);
    }

    private static final long MIN_DAY = LocalDate.of(1, 1, 1).toEpochDay();
    private static final long MAX_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

    /** {@code value} as {@code width} decimal digits at {@code at}. */
    private static void put(byte[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (byte) ('0' + value % 10);
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
