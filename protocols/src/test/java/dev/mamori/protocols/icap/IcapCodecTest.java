package dev.mamori.protocols.icap;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The ICAP decoder and handler together, fed bytes as Squid and c-icap-client send them. */
class IcapCodecTest {

    /** Blocks requests whose User-Agent contains "Evil"; records what it saw. */
    static class FakeService implements IcapService {
        final List<String> seen = new ArrayList<>();
        final List<String> answers = new ArrayList<>();

        @Override
        public Verdict reqmod(IcapRequest r, String client) {
            String ua = r.http().header("user-agent");
            seen.add(r.http().method() + " " + r.http().target() + " ua=" + ua + " client=" + r.header("x-client-ip"));
            return ua != null && ua.contains("Evil")
                    ? new Block("proxy.unknown_user_agent", "agent <not> allowed")
                    : ALLOW;
        }

        @Override
        public String istag() {
            return "mamori-test-1";
        }

        @Override
        public void answered(String method, String verdict) {
            answers.add(method + ":" + verdict);
        }

        @Override
        public void refused(int status, String reason) {
            answers.add("refused:" + status);
        }
    }

    private final FakeService service = new FakeService();

    private EmbeddedChannel channel() {
        IcapRequestDecoder decoder = new IcapRequestDecoder(16 * 1024, 64 * 1024);
        return new EmbeddedChannel(decoder, new IcapServerHandler(service, decoder, 100));
    }

    private static String send(EmbeddedChannel ch, String... parts) {
        for (String p : parts) {
            ch.writeInbound(Unpooled.copiedBuffer(p, StandardCharsets.ISO_8859_1));
        }
        return output(ch);
    }

    private static String output(EmbeddedChannel ch) {
        StringBuilder b = new StringBuilder();
        for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
            ByteBuf buf = (ByteBuf) o;
            b.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return b.toString();
    }

    static final String GET_HEAD = "GET http://origin.test:18080/hello?x=1 HTTP/1.1\r\nUser-Agent: curl/7.88.1\r\n"
            + "Accept: */*\r\nHost: origin.test:18080\r\n\r\n";

    static String reqmod(String allow, String encapsulated, String extraHeaders) {
        return "REQMOD icap://127.0.0.1:1344/reqmod ICAP/1.0\r\nHost: 127.0.0.1:1344\r\nEncapsulated: " + encapsulated
                + "\r\n" + (allow == null ? "" : "Allow: " + allow + "\r\n") + "X-Client-IP: 10.1.2.3\r\n"
                + extraHeaders + "\r\n";
    }

    @Test
    void optionsWithoutEncapsulatedAsSquidSendsIt() {
        EmbeddedChannel ch = channel();
        String out = send(ch, "OPTIONS icap://127.0.0.1:1344/reqmod ICAP/1.0\r\nHost: 127.0.0.1:1344\r\n\r\n");
        assertThat(out)
                .startsWith("ICAP/1.0 200 OK\r\n")
                .contains("Methods: REQMOD\r\n")
                .contains("ISTag: \"mamori-test-1\"\r\n")
                .contains("Preview: 0\r\n")
                .contains("Allow: 204\r\n")
                .contains("Options-TTL: ")
                .contains("Max-Connections: 100\r\n")
                .contains("Transfer-Preview: *\r\n")
                .contains("Encapsulated: null-body=0\r\n")
                .endsWith("\r\n\r\n");
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void getWithNullBodyAndAllow204Gets204AndTheVerdictSawTheHttpHead() {
        EmbeddedChannel ch = channel();
        String out = send(
                ch, reqmod("204, trailers", "req-hdr=0, null-body=" + GET_HEAD.length(), "Preview: 0\r\n") + GET_HEAD);
        assertThat(out).startsWith("ICAP/1.0 204 No Content\r\n").contains("ISTag: \"mamori-test-1\"");
        assertThat(service.seen)
                .containsExactly("GET http://origin.test:18080/hello?x=1 ua=curl/7.88.1 client=10.1.2.3");
        assertThat(service.answers).containsExactly("REQMOD:allowed");
    }

    /** What a service leaves for after the answer runs once the answer is written, failing or not. */
    @Test
    void workLeftForAfterTheAnswerRunsOnceTheAnswerIsWritten() {
        List<String> log = new ArrayList<>();
        EmbeddedChannel[] holder = new EmbeddedChannel[1];
        IcapService deferring = new FakeService() {
            @Override
            public Verdict reqmod(IcapRequest r, String client, Consumer<Runnable> afterAnswer) {
                afterAnswer.accept(() -> {
                    log.add("answers written before: "
                            + holder[0].outboundMessages().size());
                    if (r.http().target().contains("fail")) {
                        throw new IllegalStateException("a bug after the answer");
                    }
                });
                return reqmod(r, client);
            }

            @Override
            public void failed(Throwable cause) {
                log.add("failed: " + cause.getMessage());
            }
        };
        IcapRequestDecoder decoder = new IcapRequestDecoder(16 * 1024, 64 * 1024);
        EmbeddedChannel ch = new EmbeddedChannel(decoder, new IcapServerHandler(deferring, decoder, 100));
        holder[0] = ch;
        String failing = GET_HEAD.replace("/hello", "/fail");
        String out = send(ch, reqmod("204", "req-hdr=0, null-body=" + failing.length(), "") + failing);
        assertThat(out).startsWith("ICAP/1.0 204 No Content\r\n");
        assertThat(log).containsExactly("answers written before: 1", "failed: a bug after the answer");
        assertThat(ch.isOpen()).as("the answer stands; the connection goes on").isTrue();
        out = send(ch, reqmod("204", "req-hdr=0, null-body=" + GET_HEAD.length(), "") + GET_HEAD);
        assertThat(out).startsWith("ICAP/1.0 204 No Content\r\n").endsWith("\r\n\r\n");
        assertThat(log).hasSize(3).last().isEqualTo("answers written before: 1");
    }

    /** A service that fails after leaving work for later: the client hears 500, the work still runs. */
    @Test
    void workLeftBeforeAFailureStillRuns() {
        List<String> log = new ArrayList<>();
        IcapService failing = new FakeService() {
            @Override
            public Verdict reqmod(IcapRequest r, String client, Consumer<Runnable> afterAnswer) {
                afterAnswer.accept(() -> log.add("alerts raised"));
                throw new IllegalStateException("a bug after the detections");
            }
        };
        IcapRequestDecoder decoder = new IcapRequestDecoder(16 * 1024, 64 * 1024);
        EmbeddedChannel ch = new EmbeddedChannel(decoder, new IcapServerHandler(failing, decoder, 100));
        String out = send(ch, reqmod("204", "req-hdr=0, null-body=" + GET_HEAD.length(), "") + GET_HEAD);
        assertThat(out).startsWith("ICAP/1.0 500 ");
        assertThat(log).containsExactly("alerts raised");
    }

    @Test
    void without204TheRequestIsEchoedUnchanged() {
        EmbeddedChannel ch = channel();
        String out = send(ch, reqmod(null, "req-hdr=0, null-body=" + GET_HEAD.length(), "") + GET_HEAD);
        assertThat(out)
                .startsWith("ICAP/1.0 200 OK\r\n")
                .contains("Encapsulated: req-hdr=0, null-body=" + GET_HEAD.length() + "\r\n")
                .endsWith("\r\n\r\n" + GET_HEAD);
    }

    @Test
    void blockedRequestsGetA403PageInsideAn200() {
        EmbeddedChannel ch = channel();
        String head = GET_HEAD.replace("curl/7.88.1", "EvilBot/6.6");
        String out = send(ch, reqmod("204", "req-hdr=0, null-body=" + head.length(), "") + head);
        assertThat(out)
                .startsWith("ICAP/1.0 200 OK\r\n")
                .contains("Encapsulated: res-hdr=0, res-body=")
                .contains("HTTP/1.1 403 Forbidden\r\n")
                .contains("X-Mamori-Rule: proxy.unknown_user_agent\r\n")
                .contains("agent &lt;not&gt; allowed")
                .endsWith("\r\n0\r\n\r\n");
        int bodyAt = out.indexOf("HTTP/1.1 403");
        int resBody = Integer.parseInt(
                out.substring(out.indexOf("res-body=") + 9, out.indexOf("\r\n", out.indexOf("res-body="))));
        assertThat(out.substring(bodyAt + resBody)).matches("(?s)[0-9a-f]+\r\n<!DOCTYPE html>.*");
        assertThat(service.answers).containsExactly("REQMOD:blocked");
    }

    @Test
    void zeroPreviewPostGets204AtOnceAndThePipelinedNextRequestIsServed() {
        EmbeddedChannel ch = channel();
        String post = "POST http://origin.test/upload HTTP/1.1\r\nUser-Agent: curl/7.88.1\r\nContent-Length: 500\r\n"
                + "Host: origin.test\r\n\r\n";
        String out = send(
                ch,
                reqmod("204, trailers", "req-hdr=0, req-body=" + post.length(), "Preview: 0\r\n") + post + "0\r\n\r\n"
                        + reqmod("204", "req-hdr=0, null-body=" + GET_HEAD.length(), "") + GET_HEAD);
        assertThat(out).isEqualTo(noContent() + noContent());
        assertThat(service.seen).hasSize(2);
    }

    @Test
    void afterAPreviewTheAnswerIs204EvenWithoutAllow204() {
        EmbeddedChannel ch = channel();
        String post = "POST http://origin.test/p HTTP/1.1\r\nContent-Length: 5\r\nHost: origin.test\r\n\r\n";
        assertThat(send(
                        ch,
                        reqmod("trailers", "req-hdr=0, req-body=" + post.length(), "Preview: 1024\r\n") + post
                                + "5\r\nhello\r\n0; ieof\r\n\r\n"))
                .isEqualTo(noContent());
        String big = "POST http://origin.test/big HTTP/1.1\r\nContent-Length: 9\r\nHost: origin.test\r\n\r\n";
        assertThat(send(
                        ch,
                        reqmod("trailers", "req-hdr=0, req-body=" + big.length(), "Preview: 4\r\n") + big
                                + "4\r\nabcd\r\n0\r\n\r\n"))
                .isEqualTo(noContent());
        assertThat(send(ch, reqmod("204", "req-hdr=0, null-body=" + GET_HEAD.length(), "") + GET_HEAD))
                .isEqualTo(noContent());
    }

    @Test
    void bodyWithoutPreviewAndWithout204IsEchoedAsItStreams() {
        EmbeddedChannel ch = channel();
        String post = "POST http://origin.test/big HTTP/1.1\r\nContent-Length: 9\r\nHost: origin.test\r\n\r\n";
        String first =
                send(ch, reqmod(null, "req-hdr=0, req-body=" + post.length(), "") + post + "4;ext=1\r\nabcd\r\n");
        assertThat(first)
                .startsWith("ICAP/1.0 200 OK\r\n")
                .contains("Encapsulated: req-hdr=0, req-body=" + post.length() + "\r\n")
                .endsWith(post + "4\r\nabcd\r\n");
        assertThat(send(ch, "5\r\nefghi\r\n", "0\r\n\r\n")).isEqualTo("5\r\nefghi\r\n0\r\n\r\n");
        assertThat(send(ch, reqmod("204", "req-hdr=0, null-body=" + GET_HEAD.length(), "") + GET_HEAD))
                .isEqualTo(noContent());
    }

    @Test
    void previewWithoutIeofAnd204EndsTheRequestWith204() {
        EmbeddedChannel ch = channel();
        String post = "POST http://origin.test/p HTTP/1.1\r\nHost: origin.test\r\n\r\n";
        String out = send(
                ch,
                reqmod("204", "req-hdr=0, req-body=" + post.length(), "Preview: 2\r\n") + post
                        + "2\r\nab\r\n0\r\n\r\n");
        assertThat(out).isEqualTo(noContent());
        assertThat(send(ch, reqmod("204", "req-hdr=0, null-body=" + GET_HEAD.length(), "") + GET_HEAD))
                .isEqualTo(noContent());
    }

    @Test
    void bodyWithoutPreviewIsReadToItsEndBeforeThe204() {
        EmbeddedChannel ch = channel();
        String post = "POST http://origin.test/p HTTP/1.1\r\nHost: origin.test\r\n\r\n";
        assertThat(send(ch, reqmod("204", "req-hdr=0, req-body=" + post.length(), "") + post + "3\r\nabc\r\n"))
                .isEmpty();
        assertThat(send(ch, "0\r\n\r\n")).isEqualTo(noContent());
    }

    @Test
    void bytesSplitAnywhereGiveTheSameAnswers() {
        String post = "POST http://origin.test/p HTTP/1.1\r\nHost: origin.test\r\n\r\n";
        String wire = reqmod("trailers", "req-hdr=0, req-body=" + post.length(), "Preview: 1024\r\n") + post
                + "5\r\nhello\r\n0; ieof\r\n\r\n" + reqmod("204", "req-hdr=0, null-body=" + GET_HEAD.length(), "")
                + GET_HEAD;
        String expected = send(channel(), wire);
        for (int cut = 1; cut < wire.length(); cut += 3) {
            assertThat(send(channel(), wire.substring(0, cut), wire.substring(cut)))
                    .as("cut %d", cut)
                    .isEqualTo(expected.replaceAll("Date: [^\r]*\r\n", ""));
        }
    }

    @Test
    void respmodIsAnsweredUnmodified() {
        EmbeddedChannel ch = channel();
        String res = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n";
        String out = send(
                ch,
                "RESPMOD icap://127.0.0.1/respmod ICAP/1.0\r\nHost: x\r\nAllow: 204\r\nEncapsulated: "
                        + "req-hdr=0, res-hdr=" + GET_HEAD.length() + ", res-body=" + (GET_HEAD.length() + res.length())
                        + "\r\n\r\n" + GET_HEAD + res + "2\r\nok\r\n0\r\n\r\n");
        assertThat(out).isEqualTo(noContent());
    }

    @Test
    void refusals() {
        assertRefused("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertRefused("REQMOD icap://127.0.0.1/nowhere ICAP/1.0\r\nEncapsulated: null-body=0\r\n\r\n", 404);
        assertRefused("REQMOD icap://127.0.0.1/respmod ICAP/1.0\r\nEncapsulated: null-body=0\r\n\r\n", 405);
        assertRefused("FROB icap://127.0.0.1/reqmod ICAP/1.0\r\nEncapsulated: null-body=0\r\n\r\n", 400);
        assertRefused("REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: x\r\n\r\n", 400);
        assertRefused("REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nEncapsulated: req-hdr=5, null-body=2\r\n\r\n", 400);
        // found by fuzzing (DecodersFuzzTest#icapRequests): an Encapsulated value with no entry at all
        assertRefused("REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nEncapsulated: ,\r\n\r\n", 400);
        assertRefused(
                "REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nEncapsulated: req-hdr=0, null-body=12\r\n\r\n"
                        + "not http!!\r\n",
                400);
        assertRefused("REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n", 413);
        String post = "POST http://o/p HTTP/1.1\r\nHost: o\r\n\r\n";
        assertRefused(reqmod("204", "req-hdr=0, req-body=" + post.length(), "") + post + "zz\r\n", 400);
    }

    private void assertRefused(String wire, int status) {
        EmbeddedChannel ch = channel();
        String out = send(ch, wire);
        assertThat(out)
                .as(wire.substring(0, Math.min(60, wire.length())))
                .startsWith("ICAP/1.0 " + status + " ")
                .contains("Connection: close");
        assertThat(ch.isOpen()).isFalse();
    }

    private static String noContent() {
        return "ICAP/1.0 204 No Content\r\nServer: Mamori-ICAP\r\nISTag: \"mamori-test-1\"\r\n\r\n";
    }
}
