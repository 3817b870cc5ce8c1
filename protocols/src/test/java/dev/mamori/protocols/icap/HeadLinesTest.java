package dev.mamori.protocols.icap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeadLinesTest {

    /**
     * The lines the regular expressions the heads were split with before give, on any text: the
     * same lines, plus the empty ones at the end that String.split drops.
     */
    @Test
    void walksTheLinesStringSplitGives() {
        Random random = new Random(42);
        char[] alphabet = {'a', 'b', ' ', ':', '\r', '\n'};
        for (int i = 0; i < 20_000; i++) {
            String text = randomText(random, alphabet, 24);
            assertThat(withoutTrailingEmpty(lines(text, false)))
                    .as("CRLF in %s", Arrays.toString(text.getBytes()))
                    .containsExactly(atLeastOne(text.split("\r\n")));
            assertThat(withoutTrailingEmpty(lines(text, true)))
                    .as("CRLF or LF in %s", Arrays.toString(text.getBytes()))
                    .containsExactly(atLeastOne(text.split("\r?\n")));
        }
        assertThat(lines("", false)).containsExactly("");
        assertThat(lines("a\r\n", false)).containsExactly("a", "");
        assertThat(lines("a\nb\r\nc", false)).containsExactly("a\nb", "c");
        assertThat(lines("a\nb\r\nc", true)).containsExactly("a", "b", "c");
    }

    /** A header line reads as the substring-and-strip it replaced reads it, on any line. */
    @Test
    void readsHeaderFieldsAsSubstringAndStripDid() {
        Random random = new Random(7230);
        char[] alphabet = {'a', 'B', ' ', '\t', ':', '\u000b', '\u00c9', '\u00a0', '-', '\n'};
        String[] names = {"Host", "HOST", "host", "Hos", "hostt", "User-Agent", "user_agent", "Allow", "\u00c1llow"};
        for (int i = 0; i < 40_000; i++) {
            String line = i % 2 == 0
                    ? randomText(random, alphabet, 16)
                    : randomText(random, alphabet, 2)
                            + names[random.nextInt(names.length)]
                            + randomText(random, alphabet, 8);
            Map<String, List<String>> expected = new HashMap<>();
            int colon = line.indexOf(':');
            boolean ok = colon > 0;
            if (ok) {
                expected.computeIfAbsent(
                                line.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).strip());
            }
            HeadLines lines = new HeadLines("ICAP\r\n" + line + "\r\nnext: x", false);
            lines.next();
            lines.next();
            Map<String, List<String>> got = new HashMap<>();
            assertThat(lines.addHeaderTo(got)).as("'%s'", line).isEqualTo(ok);
            assertThat(got).as("'%s'", line).isEqualTo(expected);
        }
    }

    @Test
    void repeatedNamesKeepEveryValueInOrder() {
        HeadLines lines = new HeadLines("User-Agent: a\r\nuser-agent:b \r\nHost : h", false);
        Map<String, List<String>> headers = new HashMap<>();
        while (lines.next()) {
            assertThat(lines.addHeaderTo(headers)).isTrue();
        }
        assertThat(headers).isEqualTo(Map.of("user-agent", List.of("a", "b"), "host", List.of("h")));
    }

    private static String randomText(Random random, char[] alphabet, int max) {
        StringBuilder b = new StringBuilder();
        for (int n = random.nextInt(max); n > 0; n--) {
            b.append(alphabet[random.nextInt(alphabet.length)]);
        }
        return b.toString();
    }

    private static List<String> lines(String text, boolean bareLf) {
        HeadLines walk = new HeadLines(text, bareLf);
        List<String> lines = new ArrayList<>();
        while (walk.next()) {
            lines.add(walk.line());
        }
        return lines;
    }

    private static List<String> withoutTrailingEmpty(List<String> lines) {
        List<String> l = new ArrayList<>(lines);
        while (l.size() > 1 && l.get(l.size() - 1).isEmpty()) {
            l.remove(l.size() - 1);
        }
        return l;
    }

    private static String[] atLeastOne(String[] lines) {
        return lines.length == 0 ? new String[] {""} : lines;
    }
}
