package dev.mamori.protocols.icap;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeadEndTest {

    private static final ByteBuf CRLFCRLF = Unpooled.copiedBuffer("\r\n\r\n", StandardCharsets.ISO_8859_1);

    @Test
    void findsTheFirstBlankLineFromTheReaderIndex() {
        ByteBuf b = Unpooled.copiedBuffer("xx\r\nA: b\r\n\r\nrest\r\n\r\n", StandardCharsets.ISO_8859_1);
        b.skipBytes(2);
        assertThat(IcapRequestDecoder.headEnd(b, b.readableBytes())).isEqualTo(6);
        assertThat(IcapRequestDecoder.headEnd(b, 9))
                .as("the blank line must end inside the limit")
                .isEqualTo(-1);
        assertThat(IcapRequestDecoder.headEnd(b, 10)).isEqualTo(6);
        b.skipBytes(1);
        assertThat(IcapRequestDecoder.headEnd(b, b.readableBytes())).isEqualTo(5);
        ByteBuf split = Unpooled.copiedBuffer("\r\n\r\nx\r\n\r\n", StandardCharsets.ISO_8859_1);
        split.skipBytes(1);
        assertThat(IcapRequestDecoder.headEnd(split, split.readableBytes()))
                .as("a blank line begun before the reader index does not count")
                .isEqualTo(4);
    }

    /** Whatever the bytes, reader index and limit: the answer of Netty's general pattern search. */
    @Test
    void agreesWithThePatternSearchOnAnyBytes() {
        Random random = new Random(3507);
        byte[] alphabet = {'\r', '\n', 'a', ':'};
        for (int i = 0; i < 50_000; i++) {
            byte[] bytes = new byte[random.nextInt(24)];
            for (int k = 0; k < bytes.length; k++) {
                bytes[k] = alphabet[random.nextInt(alphabet.length)];
            }
            ByteBuf b = Unpooled.wrappedBuffer(bytes);
            b.skipBytes(random.nextInt(bytes.length + 1));
            int limit = random.nextInt(b.readableBytes() + 1);
            int expected = ByteBufUtil.indexOf(CRLFCRLF, b.slice(b.readerIndex(), limit));
            assertThat(IcapRequestDecoder.headEnd(b, limit))
                    .as("%s from %d limit %d", ByteBufUtil.hexDump(bytes), b.readerIndex(), limit)
                    .isEqualTo(expected);
        }
    }
}
