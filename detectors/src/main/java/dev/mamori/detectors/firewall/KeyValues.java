package dev.mamori.detectors.firewall;

import java.util.Arrays;

/**
 * The {@code key=value} pairs of a log line ({@code key="quoted value"} too), found in one pass
 * and read on demand: a FortiGate line carries forty pairs and its parser reads ten, so only those
 * become strings. The first pair with a key wins; words without {@code =} are skipped.
 */
final class KeyValues {

    private final String s;
    /** Per pair: key start, key end, value start, value end. */
    private int[] at = new int[4 * 48];

    private int pairs;

    KeyValues(String s, int from) {
        this.s = s;
        int i = from;
        int n = s.length();
        while (i < n) {
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            int key = i;
            int eq = i;
            while (eq < n && s.charAt(eq) != '=' && s.charAt(eq) != ' ') {
                eq++;
            }
            if (eq >= n || s.charAt(eq) != '=') {
                i = eq + 1;
                continue;
            }
            int v = eq + 1;
            if (v < n && s.charAt(v) == '"') {
                int close = s.indexOf('"', v + 1);
                if (close < 0) {
                    close = n;
                }
                add(key, eq, v + 1, close);
                i = close + 1;
            } else {
                int end = s.indexOf(' ', v);
                if (end < 0) {
                    end = n;
                }
                add(key, eq, v, end);
                i = end;
            }
        }
    }

    private void add(int keyStart, int keyEnd, int valueStart, int valueEnd) {
        if (4 * pairs == at.length) {
            at = Arrays.copyOf(at, at.length * 2);
        }
        int p = 4 * pairs++;
        at[p] = keyStart;
        at[p + 1] = keyEnd;
        at[p + 2] = valueStart;
        at[p + 3] = valueEnd;
    }

    /** The value of the first pair named {@code key}, or null. */
    String get(String key) {
        int length = key.length();
        for (int p = 0; p < 4 * pairs; p += 4) {
            if (at[p + 1] - at[p] == length && s.startsWith(key, at[p])) {
                return s.substring(at[p + 2], at[p + 3]);
            }
        }
        return null;
    }

    String getOrDefault(String key, String otherwise) {
        String v = get(key);
        return v != null ? v : otherwise;
    }
}
