package dev.mamori.detectors.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A Sigma string value as a test on a whole field value: {@code *} any run of characters,
 * {@code ?} one character, a backslash escaping either (or itself; before anything else it is a
 * backslash). The common shapes (plain, {@code *x*}, {@code x*}, {@code *x}) become string
 * comparisons; the rest a regular expression.
 */
final class Wildcards {

    private static final Object STAR = new Object();
    private static final Object ONE = new Object();

    private Wildcards() {}

    static Predicate<String> compile(String pattern, boolean cased) {
        return compile(pattern, false, false, cased);
    }

    /**
     * @param anyBefore anything may come before (contains, endswith): a wildcard the modifier adds,
     *     not a character of the value, so a value ending in a backslash does not escape it
     * @param anyAfter anything may come after (contains, startswith)
     */
    static Predicate<String> compile(String pattern, boolean anyBefore, boolean anyAfter, boolean cased) {
        List<Object> parts = new ArrayList<>();
        if (anyBefore) {
            parts.add(STAR);
        }
        StringBuilder lit = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length() && "*?\\".indexOf(pattern.charAt(i + 1)) >= 0) {
                lit.append(pattern.charAt(++i));
            } else if (c == '*' || c == '?') {
                if (lit.length() > 0) {
                    parts.add(lit.toString());
                    lit.setLength(0);
                }
                if (c == '?' || parts.isEmpty() || parts.get(parts.size() - 1) != STAR) {
                    parts.add(c == '*' ? STAR : ONE);
                }
            } else {
                lit.append(c);
            }
        }
        if (lit.length() > 0) {
            parts.add(lit.toString());
        }
        if (anyAfter && (parts.isEmpty() || parts.get(parts.size() - 1) != STAR)) {
            parts.add(STAR);
        }
        Predicate<String> simple = simple(parts, cased);
        if (simple != null) {
            return simple;
        }
        StringBuilder regex = new StringBuilder();
        for (Object p : parts) {
            regex.append(p == STAR ? ".*" : p == ONE ? "." : Pattern.quote((String) p));
        }
        Pattern compiled = Pattern.compile(
                regex.toString(), Pattern.DOTALL | (cased ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
        return v -> compiled.matcher(v).matches();
    }

    /**
     * The same test for a value already in lower case (case-insensitive only): the common shapes
     * then cost one comparison, without lower-casing the value again for every rule.
     */
    static Predicate<String> compileLowered(String pattern, boolean anyBefore, boolean anyAfter) {
        Predicate<String> general = compile(pattern, anyBefore, anyAfter, false);
        String lowerPattern = pattern.toLowerCase(Locale.ROOT);
        Predicate<String> cased = compile(lowerPattern, anyBefore, anyAfter, true);
        // a lower-cased pattern compared case-sensitively with a lower-cased value is the same test,
        // except where lower-casing changes a string's length (rare Unicode letters): keep the general one
        return lowerPattern.length() == pattern.length() ? cased : general;
    }

    /** The shapes a string comparison answers: x, *x, x*, *x*, *; null for the others. */
    private static Predicate<String> simple(List<Object> parts, boolean cased) {
        if (parts.contains(ONE)) {
            return null;
        }
        if (parts.isEmpty()) {
            return String::isEmpty;
        }
        if (parts.size() == 1 && parts.get(0) == STAR) {
            return v -> true;
        }
        boolean lead = parts.get(0) == STAR;
        boolean trail = parts.get(parts.size() - 1) == STAR;
        int literals = parts.size() - (lead ? 1 : 0) - (trail ? 1 : 0);
        if (literals != 1) {
            return null;
        }
        String text = (String) parts.get(lead ? 1 : 0);
        if (cased) {
            return lead && trail
                    ? v -> v.contains(text)
                    : lead ? v -> v.endsWith(text) : trail ? v -> v.startsWith(text) : text::equals;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        int n = text.length();
        if (lead && trail) {
            return v -> v.toLowerCase(Locale.ROOT).contains(lower);
        }
        if (lead) {
            return v -> v.length() >= n && v.regionMatches(true, v.length() - n, text, 0, n);
        }
        if (trail) {
            return v -> v.regionMatches(true, 0, text, 0, n);
        }
        return v -> v.equalsIgnoreCase(text);
    }
}
