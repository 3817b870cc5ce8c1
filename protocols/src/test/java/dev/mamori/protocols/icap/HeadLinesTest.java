package dev.mamori.protocols.icap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeadLinesTest {

    /** The same lines as the regular expressions the heads were split with before, on any text. */
    @Test
    void splitsAsStringSplitDoes() {
        Random random = new Random(42);
        char[] alphabet = {'a', 'b', ' ', ':', '\r', '\n'};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = random.nextInt(24); n > 0; n--) {
                b.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String text = b.toString();
            assertThat(HeadLines.split(text, false))
                    .as("CRLF in %s", Arrays.toString(text.getBytes()))
                    .containsExactly(atLeastOne(text.split("\r\n")));
            assertThat(HeadLines.split(text, true))
                    .as("CRLF or LF in %s", Arrays.toString(text.getBytes()))
                    .containsExactly(atLeastOne(text.split("\r?\n")));
        }
    }

    private static String[] atLeastOne(String[] lines) {
        return lines.length == 0 ? new String[] {""} : lines;
    }
}
