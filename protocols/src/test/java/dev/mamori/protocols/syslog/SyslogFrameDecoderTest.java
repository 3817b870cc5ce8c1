package dev.mamori.protocols.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SyslogFrameDecoderTest {

    private final AtomicInteger oversize = new AtomicInteger();

    private EmbeddedChannel channel(int max) {
        return new EmbeddedChannel(new SyslogFrameDecoder(max, oversize::incrementAndGet));
    }

    private static List<String> frames(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        for (ByteBuf b = ch.readInbound(); b != null; b = ch.readInbound()) {
            out.add(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return out;
    }

    private static void write(EmbeddedChannel ch, String s) {
        ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
    }

    @Test
    void lfCrlfAndNulTerminatedLines() {
        EmbeddedChannel ch = channel(1024);
        write(ch, "<13>a\n<13>b\r\n<13>c\0\n\n<13>d\n");
        assertThat(frames(ch)).containsExactly("<13>a", "<13>b", "<13>c", "<13>d");
    }

    @Test
    void octetCountedFramesBackToBackAndWithTrailingLfInside() {
        EmbeddedChannel ch = channel(1024);
        String m1 = "<166>1 - h a - - - one";
        String m2 = "<166>1 - h a - - - two\n";
        write(ch, m1.length() + " " + m1 + m2.length() + " " + m2);
        assertThat(frames(ch)).containsExactly(m1, "<166>1 - h a - - - two");
    }

    @Test
    void framesSplitAcrossReadsAnywhere() {
        String m = "<13>1 - h a - - - split message";
        String wire = m.length() + " " + m + "<13>line two\n";
        for (int cut = 1; cut < wire.length(); cut++) {
            EmbeddedChannel ch = channel(1024);
            write(ch, wire.substring(0, cut));
            write(ch, wire.substring(cut));
            assertThat(frames(ch)).as("cut at %d", cut).containsExactly(m, "<13>line two");
        }
    }

    @Test
    void headerlessLinesStartingWithDigitsAreLinesNotLengths() {
        EmbeddedChannel ch = channel(1024);
        write(ch, "1773416922.568    158 10.0.0.1 TCP_MISS/200\n12345\n300 not a syslog frame\n");
        assertThat(frames(ch))
                .containsExactly("1773416922.568    158 10.0.0.1 TCP_MISS/200", "12345", "300 not a syslog frame");
    }

    @Test
    void oversizeLineIsSkippedCountedAndTheNextOneStillArrives() {
        EmbeddedChannel ch = channel(100);
        write(ch, "<13>ok1\n" + "x".repeat(1 << 20));
        write(ch, "y".repeat(5000) + "\n<13>ok2\n");
        assertThat(frames(ch)).containsExactly("<13>ok1", "<13>ok2");
        assertThat(oversize.get()).isEqualTo(1);
    }

    @Test
    void oversizeOctetCountedFrameIsSkippedByItsLength() {
        EmbeddedChannel ch = channel(100);
        String big = "<13>1 - h a - - - " + "z".repeat(500);
        String ok = "<13>1 - h a - - - fine";
        write(ch, big.length() + " " + big.substring(0, 200));
        write(ch, big.substring(200) + ok.length() + " " + ok);
        assertThat(frames(ch)).containsExactly(ok);
        assertThat(oversize.get()).isEqualTo(1);
    }

    @Test
    void binaryGarbageDoesNotDisturbTheNextLine() {
        EmbeddedChannel ch = channel(4096);
        byte[] junk = new byte[3000];
        new Random(1).nextBytes(junk);
        for (int i = 0; i < junk.length; i++) {
            if (junk[i] == '\n' || junk[i] == 0) {
                junk[i] = 'x';
            }
        }
        ch.writeInbound(Unpooled.wrappedBuffer(junk));
        write(ch, "\n<13>after junk\n");
        List<String> got = frames(ch);
        assertThat(got).hasSize(2);
        assertThat(got.get(1)).isEqualTo("<13>after junk");
    }

    @Test
    void lastLineWithoutTerminatorIsDeliveredOnClose() {
        EmbeddedChannel ch = channel(1024);
        write(ch, "<13>complete\n<13>no newline");
        assertThat(frames(ch)).containsExactly("<13>complete");
        ch.finish();
        assertThat(frames(ch)).containsExactly("<13>no newline");
    }
}
