package dev.mamori.sensor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.sensor.TestAlerts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AlertJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void alwaysPresentFieldsComeFirstWithContractNames() throws Exception {
        Alert a = TestAlerts.connectBack("10.1.2.3", Instant.parse("2026-11-28T01:02:03.456789Z"));
        String line = AlertJson.toJson(a);
        assertThat(line).doesNotContain("\n");
        JsonNode n = JSON.readTree(line);
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        assertThat(names)
                .startsWith(
                        "@timestamp",
                        "rule.id",
                        "rule.name",
                        "rule.severity",
                        "message",
                        "observer.input",
                        "recommendation");
        assertThat(n.get("@timestamp").asText()).isEqualTo("2026-11-28T01:02:03.456Z");
        assertThat(n.get("rule.id").asText()).isEqualTo("fw.connect_back");
        assertThat(n.get("rule.severity").asText()).isEqualTo("high");
        assertThat(n.get("observer.input").asText()).isEqualTo("syslog");
        assertThat(n.get("source.ip").asText()).isEqualTo("10.1.2.3");
        assertThat(n.get("destination.port").isIntegralNumber()).isTrue();
        assertThat(n.get("destination.port").asInt()).isEqualTo(443);
        assertThat(n.get("threat.technique.id").asText()).isEqualTo("T1071");
    }

    @Test
    void everyOptionalFieldUsesItsEcsNameAndEscapesSafely() throws Exception {
        Map<AlertField, Object> fields = new EnumMap<>(AlertField.class);
        for (AlertField f : AlertField.values()) {
            fields.put(f, "v\"\\\n\t\u0001 日本語 " + f.ecsName());
        }
        Alert a = new Alert(
                Instant.EPOCH, "mail.display_name_spoof", "n", Severity.CRITICAL, "m", ObserverInput.SMTP, "r", fields);
        JsonNode n = JSON.readTree(AlertJson.toJson(a));
        for (String name : List.of(
                "source.ip",
                "source.port",
                "destination.ip",
                "destination.port",
                "destination.domain",
                "url.full",
                "http.request.method",
                "user_agent.original",
                "user.name",
                "user.domain",
                "host.name",
                "email.from.address",
                "email.from.display_name",
                "file.name",
                "winlog.event_id",
                "event.original")) {
            assertThat(n.get(name)).as(name).isNotNull();
            assertThat(n.get(name).asText()).isEqualTo("v\"\\\n\t\u0001 日本語 " + name);
        }
        assertThat(n.get("@timestamp").asText()).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(n.get("observer.input").asText()).isEqualTo("smtp");
        assertThat(n.get("rule.severity").asText()).isEqualTo("critical");
    }

    /** A line of UTF-8 bytes reads back as the same alert as the String form, whatever the text. */
    @Test
    void aLineOfBytesSaysWhatTheStringSays() throws Exception {
        Map<AlertField, Object> fields = new EnumMap<>(AlertField.class);
        fields.put(AlertField.USER_AGENT_ORIGINAL, "v\"\\\n\t\u0001 日本語 \uD83D\uDE00 lone \uD800 end");
        fields.put(AlertField.DESTINATION_PORT, 8443L);
        Alert a = new Alert(
                Instant.parse("2026-12-04T01:02:03.004Z"),
                "proxy.unknown_user_agent",
                "n",
                Severity.LOW,
                "メッセージ",
                ObserverInput.ICAP,
                "r",
                fields);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AlertJson.writeLine(a, out);
        AlertJson.writeLine(a, out);
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n", -1);
        assertThat(lines).hasSize(3);
        assertThat(lines[2]).isEmpty();
        assertThat(JSON.readTree(lines[0])).isEqualTo(JSON.readTree(AlertJson.toJson(a)));
        assertThat(AlertJson.read(lines[1]).fields()).isEqualTo(fields);
        assertThat(AlertJson.read(lines[1]).message()).isEqualTo("メッセージ");
    }

    /**
     * Rule names and recommendations are encoded once and kept: written again, or with escapes, or
     * past the number kept, each line still says what the plain generator says.
     */
    @Test
    void keptTextsAreWrittenAsTheGeneratorWritesThem() throws Exception {
        for (int i = 0; i < AlertJson.MAX_CONSTANTS + 50; i += 7) {
            String odd = "名前 \"" + i + "\" \\ \u0001 \uD83D\uDE00";
            Alert a = new Alert(
                    Instant.parse("2026-12-04T01:02:03.004Z"),
                    "rule." + i,
                    odd,
                    Severity.MEDIUM,
                    "m" + i,
                    ObserverInput.SMTP,
                    "do " + odd,
                    Map.of(AlertField.SOURCE_PORT, (long) i));
            for (int twice = 0; twice < 2; twice++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                AlertJson.writeLine(a, out);
                JsonNode n = JSON.readTree(out.toString(StandardCharsets.UTF_8));
                assertThat(n.get("rule.name").asText()).isEqualTo(odd);
                assertThat(n.get("recommendation").asText()).isEqualTo("do " + odd);
                assertThat(n.get("rule.id").asText()).isEqualTo("rule." + i);
                assertThat(n.get("source.port").asLong()).isEqualTo(i);
                assertThat(JSON.readTree(AlertJson.toJson(a))).isEqualTo(n);
            }
        }
        assertThat(AlertJson.constantsKept()).isLessThanOrEqualTo(AlertJson.MAX_CONSTANTS);
    }

    /** The hand-written timestamp is the formatter's, to the millisecond, for any instant, and reads back. */
    @Test
    void timestampAgreesWithTheFormatter() {
        DateTimeFormatter reference =
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        Random random = new Random(8601);
        List<Instant> cases = new ArrayList<>(List.of(
                Instant.EPOCH,
                Instant.parse("1969-12-31T23:59:59.999Z"),
                Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("2024-02-29T12:00:00.0015Z")));
        for (int i = 0; i < 100_000; i++) {
            cases.add(Instant.ofEpochSecond(
                    random.nextLong(-70_000_000_000L, 300_000_000_000L), random.nextInt(1_000_000_000)));
        }
        for (Instant t : cases) {
            assertThat(AlertJson.timestamp(t)).as(t.toString()).isEqualTo(reference.format(t));
            // Read back as it was, to the millisecond, before year 1 and after 9999 too.
            assertThat(Instant.parse(AlertJson.timestamp(t))).isEqualTo(t.truncatedTo(ChronoUnit.MILLIS));
        }
    }

    /**
     * The hand-written encoder writes what Jackson's generator wrote (the generator it replaced,
     * kept here as the reference), byte for byte, for random alerts whose texts mix ASCII, control
     * characters, quotes, backslashes, Latin, Japanese and the edges of each UTF-8 length; with
     * characters beyond the BMP and lone surrogates, whose forms differ, the two read back alike.
     */
    @Test
    void linesAreTheGeneratorsForRandomAlerts() throws Exception {
        Random random = new Random(2026_12_05);
        JsonBytes reused = new JsonBytes(16);
        int beyondBmp = 0;
        for (int i = 0; i < 20_000; i++) {
            boolean bmpOnly = i % 4 != 0;
            Map<AlertField, Object> fields = new EnumMap<>(AlertField.class);
            for (AlertField f : AlertField.values()) {
                if (random.nextInt(3) == 0) {
                    fields.put(f, random.nextInt(4) == 0 ? (Object) random.nextLong() : text(random, bmpOnly));
                }
            }
            Alert a = new Alert(
                    Instant.ofEpochMilli(random.nextLong(-100_000_000_000_000L, 300_000_000_000_000L)),
                    text(random, true),
                    text(random, bmpOnly),
                    Severity.values()[random.nextInt(Severity.values().length)],
                    text(random, bmpOnly),
                    ObserverInput.values()[random.nextInt(ObserverInput.values().length)],
                    text(random, bmpOnly),
                    fields);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            try (JsonGenerator g = new JsonFactory().createGenerator(expected, JsonEncoding.UTF8)) {
                generatorLine(a, g);
            }
            expected.write('\n');
            reused.reset();
            AlertJson.encodeLine(a, reused);
            byte[] actual = java.util.Arrays.copyOf(reused.array(), reused.size());
            if (bmpOnly) {
                assertThat(new String(actual, StandardCharsets.UTF_8))
                        .isEqualTo(expected.toString(StandardCharsets.UTF_8));
                assertThat(actual).isEqualTo(expected.toByteArray());
            } else {
                beyondBmp++;
                assertThat(JSON.readTree(actual)).isEqualTo(JSON.readTree(expected.toByteArray()));
                // Well-formed UTF-8: a strict decoder takes it (a lone surrogate written raw would not pass).
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(actual));
            }
            Alert back = AlertJson.read(AlertJson.toJson(a));
            assertThat(back.fields()).isEqualTo(a.fields());
            assertThat(back.message()).isEqualTo(a.message());
            assertThat(back.ruleName()).isEqualTo(a.ruleName());
        }
        assertThat(beyondBmp).isGreaterThan(4_000);
    }

    /** Whole numbers are written as Long.toString writes them, the edges included. */
    @Test
    void numbersAreWrittenWhole() throws Exception {
        for (long n : new long[] {0, -1, 7, -10, 1_000_000, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1}) {
            Alert a = new Alert(
                    Instant.EPOCH,
                    "r",
                    "n",
                    Severity.LOW,
                    "m",
                    ObserverInput.ICAP,
                    "",
                    Map.of(AlertField.SOURCE_PORT, n));
            assertThat(AlertJson.toJson(a)).endsWith(",\"source.port\":" + n + "}");
            assertThat(JSON.readTree(AlertJson.toJson(a)).get("source.port").asLong())
                    .isEqualTo(n);
        }
    }

    private static final String[] PIECES = {
        "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f", "\u0000", "\u0001", "\u001f", "\u007f",
        "\u0080", "é", "\u07ff", "\u0800", "日本", "\ufffd", "\uffff", "{", "}", ":", ","
    };

    private static final String[] BEYOND_BMP = {"\uD83D\uDE00", "\uD800", "\uDFFF", "\uDBFF\uDFFF", "x\uDC00\uD800"};

    private static String text(Random random, boolean bmpOnly) {
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            b.append(
                    !bmpOnly && random.nextInt(5) == 0
                            ? BEYOND_BMP[random.nextInt(BEYOND_BMP.length)]
                            : PIECES[random.nextInt(PIECES.length)]);
        }
        return b.toString();
    }

    /** How alert lines were written with Jackson's generator before the hand-written encoder. */
    private static void generatorLine(Alert alert, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("@timestamp", AlertJson.timestamp(alert.timestamp()));
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
}
