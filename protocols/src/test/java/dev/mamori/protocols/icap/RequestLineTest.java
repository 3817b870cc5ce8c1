package dev.mamori.protocols.icap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RequestLineTest {

    /** What the request line was read with before: String.split and three parts, the last ICAP/1.0. */
    private static String[] reference(String line) {
        String[] start = line.split(" ");
        return start.length == 3 && start[2].equals("ICAP/1.0") ? new String[] {start[0], start[1]} : null;
    }

    @Test
    void readsAsSplitDidOnAnyLine() {
        Random random = new Random(7);
        String[] pieces = {" ", "  ", "REQMOD", "icap://h/reqmod", "ICAP/1.0", "ICAP/1.1", "ICAP", "/1.0", "x", ""};
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = random.nextInt(7); n > 0; n--) {
                b.append(pieces[random.nextInt(pieces.length)]);
            }
            String line = b.toString();
            assertThat(IcapRequestDecoder.requestLine(line)).as("'%s'", line).isEqualTo(reference(line));
        }
        assertThat(IcapRequestDecoder.requestLine("REQMOD icap://h/reqmod ICAP/1.0"))
                .containsExactly("REQMOD", "icap://h/reqmod");
        assertThat(IcapRequestDecoder.requestLine("REQMOD icap://h/reqmod ICAP/1.0  "))
                .containsExactly("REQMOD", "icap://h/reqmod");
        assertThat(IcapRequestDecoder.requestLine("REQMOD  icap://h/reqmod ICAP/1.0"))
                .isNull();
    }
}
