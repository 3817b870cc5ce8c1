package dev.mamori.protocols.smtp;

import java.util.ArrayList;
import java.util.List;

/**
 * One SMTP reply (RFC 5321 4.2): a three-digit code and one or more text lines, each text starting
 * with the enhanced status code where there is one. Immutable; the same type answers the sender and
 * carries what the next hop said.
 */
public record SmtpReply(int code, List<String> lines) {

    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("not an SMTP reply code: " + code);
        }
        lines = lines.isEmpty() ? List.of("") : List.copyOf(lines);
    }

    public static SmtpReply of(int code, String... lines) {
        return new SmtpReply(code, List.of(lines));
    }

    /**
     * A reply given as wire text ({@code "554 5.7.1 text"}, CRLF-separated lines for several);
     * text that does not start with a code is sent as {@code fallback}'s code with that text.
     */
    public static SmtpReply parse(String wire, int fallback) {
        List<String> lines = new ArrayList<>();
        int code = -1;
        for (String line : wire.split("\r?\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int c = line.length() >= 3 && line.substring(0, 3).chars().allMatch(Character::isDigit)
                    ? Integer.parseInt(line.substring(0, 3))
                    : -1;
            if (c < 200 || c > 599) {
                return of(fallback, wire.strip().replaceAll("\\s*\r?\n\\s*", " "));
            }
            code = c;
            lines.add(line.length() > 4 ? line.substring(4) : "");
        }
        return code < 0 ? of(fallback, "") : new SmtpReply(code, lines);
    }

    /** 2xx and 3xx: the command was taken. */
    public boolean positive() {
        return code < 400;
    }

    /** 4xx: try again later. */
    public boolean temporary() {
        return code >= 400 && code < 500;
    }

    /** The reply on the wire: CRLF-terminated lines, all but the last marked with "-". */
    public String wire() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            b.append(code)
                    .append(i + 1 < lines.size() ? '-' : ' ')
                    .append(lines.get(i))
                    .append("\r\n");
        }
        return b.toString();
    }
}
