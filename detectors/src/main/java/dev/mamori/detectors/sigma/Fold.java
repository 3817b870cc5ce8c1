package dev.mamori.detectors.sigma;

/**
 * Case folding for the literal prefilter: every character is folded to one representative of all
 * the characters Java's case-insensitive comparisons (String.toLowerCase, equalsIgnoreCase, regular
 * expressions with UNICODE_CASE) may take it for: the classes joined by upper, lower and title case
 * ({@code K}, {@code k} and the Kelvin sign are one; {@code ſ} joins {@code s}). So an event value
 * a rule matches case-insensitively contains the rule's literal once both are folded.
 */
final class Fold {

    private static final char[] TABLE = new char[Character.MAX_VALUE + 1];

    /**
     * Lower-casing {@code İ} gives two characters, {@code i} and a combining dot above, so a rule
     * comparing lower-cased text may find {@code İk} in {@code i\u0307k}: literals stop at both.
     */
    private static final char COMBINING_DOT = '\u0307';

    private static final char DOTTED_CAPITAL_I = '\u0130';

    static {
        int[] parent = new int[Character.MAX_VALUE + 1];
        for (int c = 0; c < parent.length; c++) {
            parent[c] = c;
        }
        for (int c = 0; c < parent.length; c++) {
            union(parent, c, Character.toLowerCase(c));
            union(parent, c, Character.toUpperCase(c));
            union(parent, c, Character.toTitleCase(c));
        }
        // the representative is the smallest member, so ASCII letters fold to their lower case below
        for (int c = 0; c < parent.length; c++) {
            TABLE[c] = (char) find(parent, c);
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            char lower = (char) (c + ('a' - 'A'));
            char rep = TABLE[c];
            for (int x = 0; x < TABLE.length; x++) {
                if (TABLE[x] == rep) {
                    TABLE[x] = lower;
                }
            }
        }
    }

    private static void union(int[] parent, int a, int b) {
        if (b < 0 || b > Character.MAX_VALUE) {
            return;
        }
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }

    private static int find(int[] parent, int c) {
        while (parent[c] != c) {
            parent[c] = parent[parent[c]];
            c = parent[c];
        }
        return c;
    }

    private Fold() {}

    static char fold(char c) {
        return TABLE[c];
    }

    /** Whether a literal may hold this character. */
    static boolean literal(char c) {
        return c != COMBINING_DOT && c != DOTTED_CAPITAL_I;
    }

    /** The longest run of literal characters in a wildcard pattern, folded; "" when none. */
    static String longestLiteral(String pattern) {
        String best = "";
        StringBuilder run = new StringBuilder();
        for (int i = 0; i <= pattern.length(); i++) {
            char c = i < pattern.length() ? pattern.charAt(i) : '*';
            boolean escaped = false;
            if (c == '\\' && i + 1 < pattern.length() && "*?\\".indexOf(pattern.charAt(i + 1)) >= 0) {
                c = pattern.charAt(++i);
                escaped = true;
            }
            boolean breaks = !escaped && (c == '*' || c == '?') || !literal(c);
            if (breaks) {
                if (run.length() > best.length()) {
                    best = run.toString();
                }
                run.setLength(0);
            } else {
                run.append(fold(c));
            }
        }
        return best;
    }
}
