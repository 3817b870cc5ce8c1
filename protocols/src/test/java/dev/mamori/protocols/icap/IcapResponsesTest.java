package dev.mamori.protocols.icap;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IcapResponsesTest {

    /**
     * The 204 is kept and shared, yet every answer is whole: the right ISTag and Connection
     * whichever was asked before, unchanged by what a write did to the one before it (read, released).
     */
    @Test
    void theSharedNoContentIsWholeForEveryAnswer() {
        for (int i = 0; i < 3; i++) {
            for (String istag : new String[] {"mamori-1", "mamori-2", "mamori-2", "mamori-1"}) {
                for (boolean close : new boolean[] {false, true, false}) {
                    ByteBuf b = IcapResponses.noContent(istag, close);
                    String text = b.toString(StandardCharsets.ISO_8859_1);
                    assertThat(text)
                            .isEqualTo(IcapResponses.noContentText(istag, close))
                            .startsWith("ICAP/1.0 204 No Content\r\n")
                            .contains("ISTag: \"" + istag + "\"\r\n")
                            .endsWith("\r\n\r\n");
                    assertThat(text.contains("Connection: close\r\n")).isEqualTo(close);
                    assertThat(b.isDirect()).isTrue();
                    b.skipBytes(b.readableBytes()); // as a write leaves it
                    b.release();
                }
            }
        }
    }
}
