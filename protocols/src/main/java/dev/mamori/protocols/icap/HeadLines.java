package dev.mamori.protocols.icap;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a message head into its lines, as {@code String.split} would (trailing empty lines
 * dropped) but without a regular expression: a two-character separator is compiled into a new
 * {@code Pattern} on every call, which showed up at 10% of the ICAP request path's CPU.
 */
final class HeadLines {

    private HeadLines() {}

    /**
     * Lines ended by CRLF, or also by a bare LF when {@code bareLf} (HTTP heads are lenient, RFC 9112
     * 2.2); never empty: where {@code String.split} would return no line at all, one empty line.
     */
    static List<String> split(String text, boolean bareLf) {
        List<String> lines = new ArrayList<>(16);
        int from = 0;
        int search = 0;
        while (true) {
            int lf = text.indexOf('\n', search);
            if (lf < 0) {
                lines.add(text.substring(from));
                break;
            }
            boolean cr = lf > from && text.charAt(lf - 1) == '\r';
            if (!cr && !bareLf) {
                search = lf + 1; // a bare LF inside a line
                continue;
            }
            lines.add(text.substring(from, cr ? lf - 1 : lf));
            from = search = lf + 1;
        }
        while (lines.size() > 1 && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
