package dev.mamori.detectors.sigma;

import java.util.ArrayList;
import java.util.List;

/**
 * A literal every match of a regular expression contains, for the prefilter of {@code re} values:
 * the longest run of plain characters at the top level of the pattern. Conservative by
 * construction: a group, class, dot, anchor or class escape ends a run; a quantifier that allows
 * zero takes back the character before it; an alternation at the top level, quoting
 * ({@code \Q...\E}), comments mode and any escape not understood here give up (no literal).
 */
final class Regexes {

    private Regexes() {}

    /** The literal, folded as the prefilter compares; "" when none is certain. */
    static String requiredLiteral(String re) {
        if (re.contains("\\Q") || re.matches("(?s).*\\(\\?[a-zA-Z-]*x.*")) {
            return "";
        }
        String best = "";
        StringBuilder run = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\') {
                if (i + 1 >= re.length()) {
                    return "";
                }
                char n = re.charAt(++i);
                if (!Character.isLetterOrDigit(n)) {
                    if (depth == 0) {
                        best = append(re, i, run, best);
                    }
                    continue;
                }
                if ("dDsSwWbBAGzZ".indexOf(n) < 0) {
                    return ""; // \x41, \u0041, \p{..}, back references: not worth the risk
                }
                best = cut(run, best);
                continue;
            }
            if (c == '[') {
                // a class: skip to its end (escapes and a leading ] included)
                best = cut(run, best);
                int j = i + 1;
                if (j < re.length() && re.charAt(j) == '^') {
                    j++;
                }
                if (j < re.length() && re.charAt(j) == ']') {
                    j++;
                }
                while (j < re.length() && re.charAt(j) != ']') {
                    if (re.charAt(j) == '\\') {
                        j++;
                    } else if (re.charAt(j) == '[') {
                        return ""; // nested classes: give up
                    }
                    j++;
                }
                i = j;
                continue;
            }
            if (c == '(') {
                depth++;
                best = cut(run, best);
                continue;
            }
            if (c == ')') {
                depth--;
                best = cut(run, best);
                continue;
            }
            if (c == '|' && depth == 0) {
                return "";
            }
            if (depth > 0) {
                continue;
            }
            if (c == '*' || c == '?' || c == '{') {
                if (run.length() > 0) {
                    run.setLength(run.length() - 1); // the character before may be absent
                }
                best = cut(run, best);
                if (c == '{') {
                    int close = re.indexOf('}', i);
                    if (close < 0) {
                        return "";
                    }
                    i = close;
                }
                continue;
            }
            if (c == '+' || c == '.' || c == '^' || c == '$' || !Fold.literal(c)) {
                best = cut(run, best);
                continue;
            }
            best = append(re, i, run, best);
        }
        return cut(run, best);
    }

    /** Appends the character at {@code i}, folded, to the run (a quantifier after it may take it back). */
    private static String append(String re, int i, StringBuilder run, String best) {
        char c = re.charAt(i);
        if (!Fold.literal(c)) {
            return cut(run, best);
        }
        run.append(Fold.fold(c));
        return best;
    }

    private static String cut(StringBuilder run, String best) {
        String r = run.toString();
        run.setLength(0);
        return r.length() > best.length() ? r : best;
    }

    /**
     * For a pattern that is only literals joined by {@code .*} ({@code \\+.*\\+.*\\+}), the same
     * test without backtracking: the literals in order within one line (any text, with the {@code s}
     * flag). Null for any other pattern, or with the {@code i} flag (left to the regex engine).
     */
    static java.util.function.Predicate<String> orderedLiterals(String re, String flags) {
        if (flags.contains("i")) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '.' && i + 1 < re.length() && re.charAt(i + 1) == '*') {
                parts.add(lit.toString());
                lit.setLength(0);
                i++;
            } else if (c == '\\') {
                if (i + 1 >= re.length() || Character.isLetterOrDigit(re.charAt(i + 1))) {
                    return null;
                }
                lit.append(re.charAt(++i));
            } else if ("^$.|?*+()[]{}".indexOf(c) >= 0) {
                return null;
            } else {
                lit.append(c);
            }
        }
        parts.add(lit.toString());
        List<String> literals = parts.stream().filter(x -> !x.isEmpty()).toList();
        if (parts.size() < 3 || literals.isEmpty()) {
            return null; // a plain literal or one join: the regex engine does those well
        }
        boolean dotAll = flags.contains("s");
        return v -> {
            int from = 0;
            while (from <= v.length()) {
                int end = dotAll ? v.length() : lineEnd(v, from);
                if (inOrder(v, from, end, literals)) {
                    return true;
                }
                from = end + 1;
            }
            return false;
        };
    }

    private static boolean inOrder(String v, int from, int end, List<String> literals) {
        int at = from;
        for (String l : literals) {
            int i = v.indexOf(l, at);
            if (i < 0 || i + l.length() > end) {
                return false;
            }
            at = i + l.length();
        }
        return true;
    }

    /** Where the line starting at {@code from} ends: the regex engine's line terminators. */
    private static int lineEnd(String v, int from) {
        for (int i = from; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return i;
            }
        }
        return v.length();
    }
}
