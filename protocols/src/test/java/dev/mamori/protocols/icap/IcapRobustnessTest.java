package dev.mamori.protocols.icap;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated and random input never crashes the decoder or handler. Each round ends in one of three
 * ways: an answer (2xx for what is still a valid request), a 4xx refusal that was recorded and closed
 * the connection, or no answer yet with the connection open and waiting for more. A connection
 * closed without an answer, or an internal failure, fails the test.
 */
class IcapRobustnessTest {

    private static final String VALID = "REQMOD icap://127.0.0.1:1344/reqmod ICAP/1.0\r\nHost: x\r\n"
            + "Encapsulated: req-hdr=0, req-body=58\r\nPreview: 4\r\nAllow: 204\r\n\r\n"
            + "POST http://o.test/p HTTP/1.1\r\nHost: o.test\r\nUser-Agent: a\r\n\r\n4\r\nabcd\r\n0; ieof\r\n\r\n";

    /** Records what the handler reports, so each round can be judged. */
    private static final class Recorder implements IcapService {
        final List<Integer> refusals = new ArrayList<>();
        final List<Throwable> failures = new ArrayList<>();

        @Override
        public Verdict reqmod(IcapRequest request, String client) {
            return ALLOW;
        }

        @Override
        public String istag() {
            return "t";
        }

        @Override
        public void refused(int status, String reason) {
            refusals.add(status);
        }

        @Override
        public void failed(Throwable cause) {
            failures.add(cause);
        }
    }

    /** The outcomes seen over all rounds, so the test also shows each kind actually happens. */
    private final List<String> outcomes = new ArrayList<>();

    private void judge(int round, EmbeddedChannel ch, Recorder service) {
        StringBuilder answer = new StringBuilder();
        for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
            ByteBuf out = (ByteBuf) o;
            answer.append(out.toString(StandardCharsets.ISO_8859_1));
            out.release();
        }
        String a = answer.toString();
        assertThat(service.failures).as("round %d: internal failures", round).isEmpty();
        if (a.isEmpty()) {
            assertThat(ch.isOpen())
                    .as("round %d: closed without an answer", round)
                    .isTrue();
            assertThat(service.refusals).as("round %d", round).isEmpty();
            outcomes.add("waiting");
        } else if (a.startsWith("ICAP/1.0 4")) {
            int status = Integer.parseInt(a.substring(9, 12));
            assertThat(service.refusals)
                    .as("round %d: refusal recorded: %s", round, a)
                    .contains(status);
            assertThat(ch.isOpen())
                    .as("round %d: a refusal closes the connection", round)
                    .isFalse();
            outcomes.add("refused");
        } else {
            assertThat(a).as("round %d", round).matches("(?s)ICAP/1\\.0 (200|204) .*");
            outcomes.add("answered");
        }
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
            Recorder service = new Recorder();
            IcapRequestDecoder decoder = new IcapRequestDecoder(16 * 1024, 64 * 1024);
            EmbeddedChannel ch = new EmbeddedChannel(decoder, new IcapServerHandler(service, decoder, 10));
            int cut = r.nextInt(b.length);
            ch.writeInbound(Unpooled.wrappedBuffer(b, 0, cut));
            if (ch.isOpen()) { // a refusal closes the connection
                ch.writeInbound(Unpooled.wrappedBuffer(b, cut, b.length - cut));
            }
            judge(round, ch, service);
            ch.finishAndReleaseAll();
        }
        assertThat(outcomes).contains("answered", "refused", "waiting");
    }

    @Test
    void randomBytesAreRefusedOrAwaitMore() {
        Random r = new Random(1);
        for (int round = 0; round < 500; round++) {
            byte[] b = new byte[r.nextInt(4096)];
            r.nextBytes(b);
            Recorder service = new Recorder();
            IcapRequestDecoder decoder = new IcapRequestDecoder(1024, 64 * 1024);
            EmbeddedChannel ch = new EmbeddedChannel(decoder, new IcapServerHandler(service, decoder, 10));
            ch.writeInbound(Unpooled.wrappedBuffer(b));
            judge(round, ch, service);
            ch.finishAndReleaseAll();
        }
        assertThat(outcomes)
                .as("random bytes are no request")
                .doesNotContain("answered")
                .contains("refused");
    }
}
