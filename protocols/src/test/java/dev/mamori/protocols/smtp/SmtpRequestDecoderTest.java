package dev.mamori.protocols.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmtpRequestDecoderTest {

    private final MessageBudget budget = new MessageBudget(1 << 20);
    private final SmtpRequestDecoder decoder = new SmtpRequestDecoder(1 << 20, budget);
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private List<SmtpInput> send(String s) {
        channel.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1));
        List<SmtpInput> out = new ArrayList<>();
        for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
            out.add((SmtpInput) o);
        }
        return out;
    }

    private static String text(SmtpInput.Message m) {
        return new String(m.content(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void dataEndsAtCrlfDotCrlfAndIsDotUnstuffed() {
        assertThat(send("DATA\r\n")).containsExactly(new SmtpInput.Command("DATA", ""));
        decoder.startData();
        List<SmtpInput> out = send("Subject: x\r\n\r\n..leading dot\r\n.\r\nQUIT\r\n");
        assertThat(out).hasSize(1);
        assertThat(text((SmtpInput.Message) out.get(0))).isEqualTo("Subject: x\r\n\r\n.leading dot\r\n");
        // a command pipelined behind the message waits until the session has passed the message on
        assertThat(send("")).isEmpty();
        decoder.resume();
        assertThat(send("")).containsExactly(new SmtpInput.Command("QUIT", ""));
    }

    /**
     * SMTP smuggling: an end of data spelled with a bare LF must not end the message, or the bytes
     * after it would be read as a second transaction the sending server never meant to send.
     */
    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\n.\r\n", "\r\n.\n", "\r.\r\n"})
    void aDotNextToABareLineEndIsContentNotTheEndOfData(String fakeEnd) {
        // a dot opening a line after CRLF is unstuffed as always; after a bare LF it is kept as sent
        String kept = fakeEnd.startsWith("\r\n") ? fakeEnd.replace(".", "") : fakeEnd;
        send("DATA\r\n");
        decoder.startData();
        String smuggled = "MAIL FROM:<ceo@corp.example>\r\nRCPT TO:<victim@corp.example>\r\nDATA\r\n";
        assertThat(send("Subject: first\r\n\r\nhello" + fakeEnd + smuggled))
                .as("nothing ended yet")
                .isEmpty();
        List<SmtpInput> out = send("bye\r\n.\r\n");
        assertThat(out).hasSize(1);
        String content = text((SmtpInput.Message) out.get(0));
        assertThat(content).isEqualTo("Subject: first\r\n\r\nhello" + kept + smuggled + "bye\r\n");
    }

    @Test
    void theEndOfDataMayArriveSplitAcrossReads() {
        send("DATA\r\n");
        decoder.startData();
        assertThat(send("body\r")).isEmpty();
        assertThat(send("\n.")).isEmpty();
        List<SmtpInput> out = send("\r\n");
        assertThat(out).hasSize(1);
        assertThat(text((SmtpInput.Message) out.get(0))).isEqualTo("body\r\n");
    }
}
