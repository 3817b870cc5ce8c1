package dev.mamori.sensor.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {

    private static List<String> lines(BoundedLineReader r) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l = r.next(); l != null; l = r.next()) {
            out.add(l);
        }
        return out;
    }

    @Test
    void splitsOnLfAndCrlfAndKeepsTheLastUnterminatedLine() throws IOException {
        BoundedLineReader r = new BoundedLineReader(
                new ByteArrayInputStream("a\r\nb\n\nこんにちは\nlast".getBytes(StandardCharsets.UTF_8)), 100);
        assertThat(lines(r)).containsExactly("a", "b", "", "こんにちは", "last");
    }

    @Test
    void overlongLinesAreSkippedAndCountedWithoutStoppingTheRest() throws IOException {
        String big = "x".repeat(200_000);
        BoundedLineReader r = new BoundedLineReader(
                new ByteArrayInputStream(("ok1\n" + big + "\nok2\n" + big).getBytes(StandardCharsets.UTF_8)), 1000);
        assertThat(lines(r)).containsExactly("ok1", "ok2");
        assertThat(r.tooLong()).isEqualTo(2);
    }

    @Test
    void malformedUtf8IsReplacedNotFatal() throws IOException {
        byte[] bytes = {'a', (byte) 0xff, (byte) 0xfe, 'b', '\n'};
        assertThat(lines(new BoundedLineReader(new ByteArrayInputStream(bytes), 100)))
                .containsExactly("a\uFFFD\uFFFDb");
    }
}
