package dev.mamori.protocols.syslog;

/** Reading numbers out of header text without building substrings. */
final class Ascii {

    private Ascii() {}

    /** The decimal number written in {@code s[from, to)}, or -1 if that is not all digits (or empty). */
    static int digits(String s, int from, int to) {
        if (from >= to || to > s.length()) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
