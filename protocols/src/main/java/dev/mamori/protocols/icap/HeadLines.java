package dev.mamori.protocols.icap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Walks a message head line by line, by position in the text, and reads header fields from it
 * without a String for each line or each trimmed piece: splitting heads into line Strings (first
 * with a regular expression, compiled on every call) and trimming names and values was a third of
 * what decoding an ICAP request cost.
 *
 * <p>Lines end at CRLF, or also at a bare LF when {@code bareLf} (HTTP heads are lenient, RFC 9112
 * 2.2); a bare LF inside a line otherwise belongs to the line. The lines are those {@code
 * String.split} gives, except that empty lines at the end are not dropped: the ICAP head is cut
 * before its blank line and an HTTP head is read up to its first empty line, so neither needs them
 * dropped. There is always at least one line, empty for an empty text.
 */
final class HeadLines {

    private final String text;
    private final boolean bareLf;
    /** Where the next line starts; past the text's end once the last line was taken. */
    private int from;

    private int start;
    private int end;

    HeadLines(String text, boolean bareLf) {
        this.text = text;
        this.bareLf = bareLf;
    }

    /** Moves to the next line; false when there is none. */
    boolean next() {
        if (from > text.length()) {
            return false;
        }
        int search = from;
        while (true) {
            int lf = text.indexOf('\n', search);
            if (lf < 0) {
                start = from;
                end = text.length();
                from = end + 1;
                return true;
            }
            boolean cr = lf > from && text.charAt(lf - 1) == '\r';
            if (cr || bareLf) {
                start = from;
                end = cr ? lf - 1 : lf;
                from = lf + 1;
                return true;
            }
            search = lf + 1;
        }
    }

    boolean empty() {
        return start == end;
    }

    /** The current line. */
    String line() {
        return text.substring(start, end);
    }

    /**
     * Adds the current line as a header field to {@code into}: the name before the first colon
     * lower-cased, the value after it, both without surrounding white space (as {@link
     * String#strip} has it); values of a repeated name are kept in order.
     *
     * @return false when the line has no colon after its first character
     */
    boolean addHeaderTo(Map<String, List<String>> into) {
        int colon = text.indexOf(':', start);
        if (colon <= start || colon >= end) {
            return false;
        }
        int nameStart = trimStart(text, start, colon);
        String name = name(nameStart, trimEnd(text, nameStart, colon));
        int valueStart = trimStart(text, colon + 1, end);
        String value = text.substring(valueStart, trimEnd(text, valueStart, end));
        List<String> values = into.get(name);
        if (values == null) {
            values = new ArrayList<>(1);
            into.put(name, values);
        }
        values.add(value);
        return true;
    }

    /**
     * Names Squid and browsers send on every request, lower-cased: a name found here costs no
     * String (lower-casing names was an eighth of the decoder's profile; the table makes decoding a
     * request 3-7 % faster in JMH's {@code icap-reqmod}).
     */
    private static final String[] KNOWN = {
        "host",
        "date",
        "allow",
        "preview",
        "encapsulated",
        "connection",
        "x-client-ip",
        "x-client-username",
        "user-agent",
        "accept",
        "accept-language",
        "accept-encoding",
        "cookie",
        "referer",
        "content-type",
        "content-length",
        "cache-control",
        "proxy-connection",
        "proxy-authorization",
        "pragma",
        "origin"
    };

    /** The name {@code text[from, to)} lower-cased (ISO-8859-1: only ASCII letters match a known one). */
    private String name(int from, int to) {
        int length = to - from;
        for (String k : KNOWN) {
            if (k.length() == length && text.regionMatches(true, from, k, 0, length)) {
                return k;
            }
        }
        return text.substring(from, to).toLowerCase(Locale.ROOT);
    }

    /** The first index in {@code [i, to)} of {@code s} that is not white space ({@code to} if none). */
    static int trimStart(String s, int i, int to) {
        while (i < to && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The end of {@code s[from, i)} without the white space it ends with. */
    static int trimEnd(String s, int from, int i) {
        while (i > from && Character.isWhitespace(s.charAt(i - 1))) {
            i--;
        }
        return i;
    }
}
