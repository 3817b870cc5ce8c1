package dev.mamori.protocols.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mamori.protocols.icap.IcapRequestDecoder;
import dev.mamori.protocols.smtp.MessageBudget;
import dev.mamori.protocols.smtp.SmtpInput;
import dev.mamori.protocols.smtp.SmtpRequestDecoder;
import dev.mamori.protocols.syslog.SyslogFrameDecoder;
import dev.mamori.protocols.syslog.SyslogParser;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Coverage-guided fuzzing of the wire decoders (Jazzer): the syslog header parser and frame
 * decoder, the SMTP command decoder, the ICAP request decoder. {@code mvn verify} replays the
 * committed inputs; {@code JAZZER_FUZZ=1} fuzzes (docs/robustness.md). A decoder answers bad input
 * with its protocol's refusal; an exception escaping the pipeline is a finding.
 */
class DecodersFuzzTest {

    private static final SyslogParser SYSLOG =
            new SyslogParser(ZoneOffset.UTC, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

    @FuzzTest(maxDuration = "10m")
    void syslogHeaders(byte[] data) {
        SYSLOG.parse(new String(data, StandardCharsets.UTF_8), "s");
    }

    @FuzzTest(maxDuration = "10m")
    void syslogFrames(byte[] data) {
        EmbeddedChannel ch = new EmbeddedChannel(new SyslogFrameDecoder(4096, () -> {}));
        feed(ch, data);
    }

    @FuzzTest(maxDuration = "10m")
    void smtpCommands(byte[] data) {
        MessageBudget budget = new MessageBudget(1024 * 1024);
        SmtpRequestDecoder decoder = new SmtpRequestDecoder(64 * 1024, budget);
        // plays the session's part: DATA is answered 354 so the message path is fuzzed too
        ChannelInboundHandlerAdapter session = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof SmtpInput.Command c && c.verb().equals("DATA")) {
                    decoder.startData();
                } else if (msg instanceof SmtpInput.Command c && !c.verb().equals("BDAT")) {
                    decoder.resume();
                } else if (msg instanceof SmtpInput.Message m) {
                    budget.release(m.content().length);
                }
            }
        };
        feed(new EmbeddedChannel(decoder, session), data);
        assertThat(budget.used()).as("every message's bytes given back").isZero();
    }

    @FuzzTest(maxDuration = "10m")
    void icapRequests(byte[] data) {
        EmbeddedChannel ch = new EmbeddedChannel(new IcapRequestDecoder(4096, 64 * 1024));
        feed(ch, data);
    }

    /** Feeds the bytes in two pieces (a split read), then lets go of whatever came out. */
    private static void feed(EmbeddedChannel ch, byte[] data) {
        int cut = data.length / 2;
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(data, 0, cut));
            if (ch.isOpen()) {
                ch.writeInbound(Unpooled.wrappedBuffer(data, cut, data.length - cut));
            }
            ch.checkException();
        } catch (DecoderException e) {
            throw new AssertionError("a decoder threw instead of answering", e);
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
