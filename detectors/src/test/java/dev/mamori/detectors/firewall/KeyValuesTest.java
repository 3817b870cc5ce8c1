package dev.mamori.detectors.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyValuesTest {

    @Test
    void readsPlainAndQuotedValuesFirstOneWinning() {
        KeyValues kv = new KeyValues(
                "x date=2026-11-28 devname=\"fg 1\" word srcip=10.1.2.3 srcip=9.9.9.9 empty= end=\"open", 2);
        assertThat(kv.get("date")).isEqualTo("2026-11-28");
        assertThat(kv.get("devname")).isEqualTo("fg 1");
        assertThat(kv.get("srcip")).isEqualTo("10.1.2.3");
        assertThat(kv.get("empty")).isEmpty();
        assertThat(kv.get("end")).isEqualTo("open");
        assertThat(kv.get("word")).isNull();
        assertThat(kv.get("x")).isNull();
        assertThat(kv.getOrDefault("dstip", "-")).isEqualTo("-");
    }

    /** Whatever the text: the values of the map the parsers used to build, key by key. */
    @Test
    void agreesWithAMapOfEveryPair() {
        Random random = new Random(6514);
        String alphabet = "ab= \"=x ";
        List<String> keys = List.of("a", "b", "ab", "ba", "x", "", "aa", "abx");
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(40); k > 0; k--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = b.toString();
            int from = random.nextInt(s.length() + 1);
            Map<String, String> expected = reference(s, from);
            KeyValues kv = new KeyValues(s, from);
            for (String key : keys) {
                assertThat(kv.get(key)).as("%s from %d: %s", s, from, key).isEqualTo(expected.get(key));
            }
            expected.forEach((key, value) -> assertThat(kv.get(key)).as(s).isEqualTo(value));
        }
    }

    /** The reader that built every pair into a map, as it was. */
    private static Map<String, String> reference(String s, int from) {
        Map<String, String> out = new HashMap<>();
        int i = from;
        int n = s.length();
        while (i < n) {
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            int eq = i;
            while (eq < n && s.charAt(eq) != '=' && s.charAt(eq) != ' ') {
                eq++;
            }
            if (eq >= n || s.charAt(eq) != '=') {
                i = eq + 1;
                continue;
            }
            String key = s.substring(i, eq);
            int v = eq + 1;
            String value;
            if (v < n && s.charAt(v) == '"') {
                int close = s.indexOf('"', v + 1);
                if (close < 0) {
                    close = n;
                }
                value = s.substring(v + 1, close);
                i = close + 1;
            } else {
                int end = s.indexOf(' ', v);
                if (end < 0) {
                    end = n;
                }
                value = s.substring(v, end);
                i = end;
            }
            out.putIfAbsent(key, value);
        }
        return out;
    }
}
