package dev.mamori.sensor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mamori.sensor.TestAlerts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesFileOutputTest {

    @TempDir
    Path dir;

    @Test
    void createsFolderAppendsAndWritesOnFlush() throws Exception {
        Path file = dir.resolve("a/b/alerts.jsonl");
        JsonLinesFileOutput out = new JsonLinesFileOutput(file, 1 << 20, 3);
        out.write(TestAlerts.connectBack("10.0.0.1", Instant.now()));
        assertThat(Files.size(file)).as("buffered until flush").isZero();
        out.flush();
        assertThat(Files.readAllLines(file)).hasSize(1);
        out.close();

        JsonLinesFileOutput again = new JsonLinesFileOutput(file, 1 << 20, 3);
        again.write(TestAlerts.connectBack("10.0.0.2", Instant.now()));
        again.close();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("\"source.ip\":\"10.0.0.2\"");
        for (String l : lines) {
            new ObjectMapper().readTree(l);
        }
    }

    @Test
    void rotatesBySizeKeepingTheConfiguredNumberOfFiles() throws Exception {
        Path file = dir.resolve("alerts.jsonl");
        int lineLength = (AlertJsonLine.of("10.0.0.100") + "\n").getBytes(StandardCharsets.UTF_8).length;
        long maxSize = lineLength * 3L;
        JsonLinesFileOutput out = new JsonLinesFileOutput(file, maxSize, 2);
        for (int i = 100; i < 111; i++) {
            out.write(TestAlerts.connectBack("10.0.0." + i, Instant.EPOCH));
        }
        out.close();
        // 11 lines of 3 per file: current holds 2 (108-110 minus ...), .1 and .2 hold 3 each, older ones gone.
        assertThat(Files.readAllLines(file)).hasSize(2);
        assertThat(Files.readAllLines(dir.resolve("alerts.jsonl.1")))
                .hasSize(3)
                .first()
                .asString()
                .contains("10.0.0.106");
        assertThat(Files.readAllLines(dir.resolve("alerts.jsonl.2")))
                .hasSize(3)
                .first()
                .asString()
                .contains("10.0.0.103");
        assertThat(dir.resolve("alerts.jsonl.3")).doesNotExist();
        assertThat(Files.readAllLines(file).get(1)).contains("10.0.0.110");
        for (Path p : List.of(file, dir.resolve("alerts.jsonl.1"), dir.resolve("alerts.jsonl.2"))) {
            assertThat(Files.size(p)).isLessThanOrEqualTo(maxSize);
        }
    }

    @Test
    void zeroKeptFilesTruncatesInsteadOfRotating() throws Exception {
        Path file = dir.resolve("alerts.jsonl");
        int lineLength = (AlertJsonLine.of("10.0.0.100") + "\n").getBytes(StandardCharsets.UTF_8).length;
        JsonLinesFileOutput out = new JsonLinesFileOutput(file, lineLength * 2L, 0);
        for (int i = 100; i < 105; i++) {
            out.write(TestAlerts.connectBack("10.0.0." + i, Instant.EPOCH));
        }
        out.close();
        assertThat(Files.readAllLines(file)).hasSize(1).first().asString().contains("10.0.0.104");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    /** The serialized length of a test alert, so that rotation sizes are exact. */
    static final class AlertJsonLine {
        static String of(String source) {
            return AlertJson.toJson(TestAlerts.connectBack(source, Instant.EPOCH));
        }
    }

    @Test
    void aHalfWrittenLastLineLeftByACrashIsCutAndTheNextAlertStartsCleanly() throws Exception {
        Path file = dir.resolve("alerts.jsonl");
        String good = "{\"rule.id\":\"a\"}\n{\"rule.id\":\"b\"}\n";
        Files.writeString(file, good + "{\"rule.id\":\"c\",\"mess");
        JsonLinesFileOutput out = new JsonLinesFileOutput(file, 1 << 20, 3);
        assertThat(out.tornBytes()).isEqualTo(20);
        out.write(TestAlerts.connectBack("10.0.0.1", Instant.parse("2026-11-28T00:00:00Z")));
        out.close();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        for (String l : lines) {
            assertThat(new ObjectMapper().readTree(l).isObject()).as(l).isTrue();
        }
        // a file that is one torn line, and one that ends cleanly
        Files.writeString(file, "{\"rule.id\":\"torn");
        assertThat(new JsonLinesFileOutput(file, 1 << 20, 3).tornBytes()).isEqualTo(16);
        assertThat(Files.size(file)).isZero();
        Files.writeString(file, good);
        JsonLinesFileOutput clean = new JsonLinesFileOutput(file, 1 << 20, 3);
        assertThat(clean.tornBytes()).isZero();
        clean.close();
        assertThat(Files.readString(file)).isEqualTo(good);
    }
}
