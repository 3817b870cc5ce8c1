package dev.mamori.sensor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

    @TempDir
    Path dir;

    private static byte[] rec(int i) {
        return ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<Spool.Entry> entries) {
        List<String> out = new ArrayList<>();
        entries.forEach(e -> out.add(new String(e.bytes(), StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void recordsComeOutInOrderAndLeaveOnlyWhenCommitted() throws IOException {
        try (Spool s = new Spool(dir, 1 << 30)) {
            for (int i = 0; i < 5; i++) {
                s.append(rec(i));
            }
            s.sync();
            List<Spool.Entry> first = s.read(3);
            assertThat(texts(first)).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
            s.rewind(); // the destination failed: the same records again
            assertThat(texts(s.read(2))).containsExactly("{\"n\":0}", "{\"n\":1}");
            s.commit(s.read(1).get(0).next());
            assertThat(texts(s.read(10))).containsExactly("{\"n\":3}", "{\"n\":4}");
            assertThat(s.hasPending()).isTrue();
        }
        // a restart (or kill -9 after sync) keeps what was not committed, in order
        try (Spool s = new Spool(dir, 1 << 30)) {
            assertThat(texts(s.read(10))).containsExactly("{\"n\":3}", "{\"n\":4}");
        }
    }

    @Test
    void aRecordTornByACrashIsCutAndTheRestKept() throws IOException {
        try (Spool s = new Spool(dir, 1 << 30)) {
            s.append(rec(1));
            s.append(rec(2));
            s.sync();
        }
        Path seg;
        try (var files = Files.list(dir)) {
            seg = files.filter(f -> f.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
        Files.write(seg, new byte[] {0, 0, 0, 40, 1, 2, 3, 4, '{', '"'}, StandardOpenOption.APPEND);
        try (Spool s = new Spool(dir, 1 << 30)) {
            assertThat(s.cutAtOpen()).isEqualTo(10);
            assertThat(texts(s.read(10))).containsExactly("{\"n\":1}", "{\"n\":2}");
            s.append(rec(3));
            assertThat(texts(s.read(10))).containsExactly("{\"n\":3}");
        }
    }

    @Test
    void pastItsBoundTheOldestSegmentsGoAndAreCounted() throws IOException {
        byte[] big = new byte[64 * 1024];
        int n = (int) (3 * Spool.SEGMENT_BYTES / big.length) + 10;
        try (Spool s = new Spool(dir, 2 * Spool.SEGMENT_BYTES)) {
            for (int i = 0; i < n; i++) {
                big[0] = (byte) i;
                s.append(big);
            }
            assertThat(s.dropped()).isGreaterThan(0);
            assertThat(s.pendingBytes()).isLessThanOrEqualTo(2 * Spool.SEGMENT_BYTES + big.length + 8);
            List<Spool.Entry> left = s.read(n);
            assertThat(left.size() + s.dropped()).isEqualTo(n);
            assertThat(left.get(left.size() - 1).bytes()[0])
                    .as("the newest are kept")
                    .isEqualTo((byte) (n - 1));
        }
    }
}
