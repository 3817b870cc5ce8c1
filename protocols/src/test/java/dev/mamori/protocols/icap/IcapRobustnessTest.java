package dev.mamori.protocols.icap;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Mutated and random input never crashes the decoder or handler: each gets an ICAP answer or nothing. */
class IcapRobustnessTest {

    private static final String VALID = "REQMOD icap://127.0.0.1:1344/reqmod ICAP/1.0\r\nHost: x\r\n"
            + "Encapsulated: req-hdr=0, req-body=58\r\nPreview: 4\r\nAllow: 204\r\n\r\n"
            + "POST http://o.test/p HTTP/1.1\r\nHost: o.test\r\nUser-Agent: a\r\n\r\n4\r\nabcd\r\n0; ieof\r\n\r\n";

    private static IcapService service() {
        return new IcapService() {
            @Override
            public Verdict reqmod(IcapRequest request, String client) {
                return ALLOW;
            }

            @Override
            public String istag() {
                return "t";
            }
        };
    }

    @Test
    void mutatedRequestsAreAnsweredOrRefusedNeverThrown() {
        Random r = new Random(3507);
        byte[] base = VALID.getBytes(StandardCharsets.ISO_8859_1);
        for (int round = 0; round < 5000; round++) {
            byte[] b = base.clone();
            int edits = 1 + r.nextInt(6);
            for (int e = 0; e < edits; e++) {
                b[r.nextInt(b.length)] = (byte) (r.nextBoolean() ? r.nextInt(256) : "\r\n:;=0 ,".charAt(r.nextInt(8)));
            }
            IcapRequestDecoder decoder = new IcapRequestDecoder(16 * 1024, 64 * 1024);
            EmbeddedChannel ch = new EmbeddedChannel(decoder, new IcapServerHandler(service(), decoder, 10));
            int cut = r.nextInt(b.length);
            ch.writeInbound(Unpooled.wrappedBuffer(b, 0, cut));
            if (ch.isOpen()) {      // a refusal closes the connection
                ch.writeInbound(Unpooled.wrappedBuffer(b, cut, b.length - cut));
            }
            StringBuilder answer = new StringBuilder();
            for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
                ByteBuf out = (ByteBuf) o;
                answer.append(out.toString(StandardCharsets.ISO_8859_1));
                out.release();
            }
            if (answer.length() > 0) {
                assertThat(answer.toString()).as("round %d", round).startsWith("ICAP/1.0 ");
            }
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void randomBytesAreRefused() {
        Random r = new Random(1);
        for (int round = 0; round < 500; round++) {
            byte[] b = new byte[r.nextInt(4096)];
            r.nextBytes(b);
            IcapRequestDecoder decoder = new IcapRequestDecoder(1024, 64 * 1024);
            EmbeddedChannel ch = new EmbeddedChannel(decoder, new IcapServerHandler(service(), decoder, 10));
            ch.writeInbound(Unpooled.wrappedBuffer(b));
            ch.finishAndReleaseAll();
        }
    }
}
