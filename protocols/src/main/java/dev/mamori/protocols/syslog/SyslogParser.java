package dev.mamori.protocols.syslog;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Parses one syslog frame into a {@link SyslogMessage}: RFC 5424 ({@code <PRI>1 TIMESTAMP HOST APP
 * PROCID MSGID SD MSG}), RFC 3164 ({@code <PRI>Mmm dd hh:mm:ss HOST TAG: MSG}, with or without host,
 * with an optional year as Cisco writes it, or an ISO 8601 timestamp as rsyslog's forward format
 * and loggen write it), and headerless lines, whose whole text is the message. A 3164 header without
 * {@code <PRI>} (as in log files) is recognised too. Never throws: what is not a header is message.
 *
 * <p>RFC 3164 timestamps carry no year and no zone: they are read in {@code zone}, and the year is
 * the one that puts the time nearest to now (a December line read in January is last year's). An
 * ISO timestamp without an offset is read in {@code zone} too.
 * Thread-safe and allocation-light; runs on event loops.
 */
public final class SyslogParser {

    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };

    private final ZoneId zone;
    private final Clock clock;
    private Now lastNow;

    public SyslogParser(ZoneId zone, Clock clock) {
        this.zone = zone;
        this.clock = clock;
    }

    /**
     * @param frame the decoded frame without its transport framing
     * @param sender the sender's address, used as host when the header names none (may be null)
     */
    public SyslogMessage parse(String frame, String sender) {
        String s = trimEnd(frame);
        int facility = -1;
        int severity = -1;
        int pos = 0;
        if (s.length() > 2 && s.charAt(0) == '<') {
            int close = s.indexOf('>', 1);
            if (close > 1 && close <= 4) {
                int pri = Ascii.digits(s, 1, close);
                if (pri >= 0 && pri <= 191) {
                    facility = pri >> 3;
                    severity = pri & 7;
                    pos = close + 1;
                }
            }
        }
        if (pos > 0 && s.length() > pos + 1 && s.charAt(pos) == '1' && s.charAt(pos + 1) == ' ') {
            SyslogMessage m = rfc5424(s, pos + 2, facility, severity, sender);
            if (m != null) {
                return m;
            }
        }
        SyslogMessage m = rfc3164(s, pos, facility, severity, sender);
        if (m != null) {
            return m;
        }
        String body = messageFrom(s, pos);
        return new SyslogMessage(
                pos > 0 ? SyslogMessage.Format.RFC3164 : SyslogMessage.Format.HEADERLESS,
                facility,
                severity,
                null,
                sender,
                null,
                null,
                null,
                null,
                body,
                s,
                sender);
    }

    private SyslogMessage rfc5424(String s, int pos, int facility, int severity, String sender) {
        int[] p = {pos};
        String ts = token(s, p);
        String host = token(s, p);
        String app = token(s, p);
        String proc = token(s, p);
        String msgId = token(s, p);
        if (msgId == null) {
            return null;
        }
        Instant time = null;
        if (!ts.equals("-")) {
            time = Rfc3339.parse(ts);
            if (time == null) {
                return null;
            }
        }
        String sd = null;
        int i = p[0];
        if (i < s.length() && s.charAt(i) == '-') {
            i++;
        } else if (i < s.length() && s.charAt(i) == '[') {
            int end = structuredDataEnd(s, i);
            if (end < 0) {
                return null;
            }
            sd = s.substring(i, end);
            i = end;
        } else if (i < s.length()) {
            return null;
        }
        if (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        String msg = messageFrom(s, i);
        return new SyslogMessage(
                SyslogMessage.Format.RFC5424,
                facility,
                severity,
                time,
                nil(host) == null ? sender : host,
                nil(app),
                nil(proc),
                nil(msgId),
                sd,
                msg,
                s,
                sender);
    }

    /** The index after the last ']' of a run of SD-ELEMENTs, honouring quoted, escaped values. */
    private static int structuredDataEnd(String s, int i) {
        while (i < s.length() && s.charAt(i) == '[') {
            boolean quoted = false;
            i++;
            while (true) {
                if (i >= s.length()) {
                    return -1;
                }
                char c = s.charAt(i);
                if (quoted && c == '\\') {
                    i += 2;
                    continue;
                }
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == ']' && !quoted) {
                    i++;
                    break;
                }
                i++;
            }
        }
        return i;
    }

    private SyslogMessage rfc3164(String s, int pos, int facility, int severity, String sender) {
        int[] p = {pos};
        Instant time = timestamp3164(s, p);
        if (time == null) {
            return null;
        }
        int i = p[0];
        // HOST, unless the next token is already the TAG ("app:" or "app[pid]:") or there is no more.
        int sp = s.indexOf(' ', i);
        String host = sender;
        if (sp > i) {
            String first = s.substring(i, sp);
            if (!first.endsWith(":") && first.indexOf('[') < 0) {
                host = first;
                i = sp + 1;
            }
        }
        String app = null;
        String proc = null;
        int tagEnd = tagEnd(s, i);
        if (tagEnd > 0) {
            String tag = s.substring(i, tagEnd);
            int bracket = tag.indexOf('[');
            if (bracket > 0 && tag.endsWith("]")) {
                app = tag.substring(0, bracket);
                proc = tag.substring(bracket + 1, tag.length() - 1);
            } else {
                app = tag;
            }
            i = tagEnd + 1;
        }
        String msg = messageFrom(s, i);
        return new SyslogMessage(
                SyslogMessage.Format.RFC3164, facility, severity, time, host, app, proc, null, null, msg, s, sender);
    }

    /** The index of the ':' ending a TAG at {@code i} ({@code name} or {@code name[pid]}), or -1. */
    private static int tagEnd(String s, int i) {
        int j = i;
        int limit = Math.min(s.length(), i + 64);
        while (j < limit) {
            char c = s.charAt(j);
            if (c == ':') {
                return j > i && (j + 1 == s.length() || s.charAt(j + 1) == ' ') ? j : -1;
            }
            if (c == ' ') {
                return -1;
            }
            j++;
        }
        return -1;
    }

    private Instant timestamp3164(String s, int[] p) {
        int i = p[0];
        if (i + 15 > s.length()) {
            return null;
        }
        if (Character.isDigit(s.charAt(i))) {
            return isoTimestamp(s, p);
        }
        int month = month(s, i);
        if (month < 0 || s.charAt(i + 3) != ' ') {
            return null;
        }
        int dayStart = s.charAt(i + 4) == ' ' ? i + 5 : i + 4;
        int day = Ascii.digits(s, dayStart, i + 6);
        if (day < 1 || s.charAt(i + 6) != ' ') {
            return null;
        }
        int j = i + 7;
        int year = -1;
        if (j + 5 <= s.length() && s.charAt(j + 4) == ' ' && Ascii.digits(s, j, j + 4) >= 1970) {
            year = Ascii.digits(s, j, j + 4);
            j += 5;
        }
        if (j + 8 > s.length() || s.charAt(j + 2) != ':' || s.charAt(j + 5) != ':') {
            return null;
        }
        int hh = Ascii.digits(s, j, j + 2);
        int mm = Ascii.digits(s, j + 3, j + 5);
        int ss = Ascii.digits(s, j + 6, j + 8);
        j += 8;
        int nanos = 0;
        if (j < s.length() && s.charAt(j) == '.') {
            int k = j + 1;
            while (k < s.length() && Character.isDigit(s.charAt(k)) && k - j <= 9) {
                k++;
            }
            String frac = s.substring(j + 1, k);
            nanos = frac.isEmpty() ? 0 : Integer.parseInt((frac + "000000000").substring(0, 9));
            j = k;
        }
        if (j < s.length() && s.charAt(j) != ' ') {
            return null;
        }
        try {
            LocalDateTime local;
            if (year > 0) {
                local = LocalDateTime.of(year, month, day, hh, mm, ss, nanos);
            } else {
                local = nearestYear(month, day, hh, mm, ss, nanos);
            }
            p[0] = Math.min(j + 1, s.length());
            return local.atZone(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static final long HALF_YEAR_SECONDS = 180L * 86_400;

    /** Now in {@code zone}, read again only when the clock's millisecond has changed. */
    private ZonedDateTime now() {
        long millis = clock.millis();
        Now n = lastNow;
        if (n == null || n.millis != millis) {
            n = new Now(millis, Instant.ofEpochMilli(millis).atZone(zone));
            lastNow = n; // racy but safe: an immutable value, at worst computed twice
        }
        return n.time;
    }

    private record Now(long millis, ZonedDateTime time) {}

    /** The year-less date in the year that puts it closest to now (New Year on either side). */
    private LocalDateTime nearestYear(int month, int day, int hh, int mm, int ss, int nanos) {
        ZonedDateTime now = now();
        if (month != 2 || day != 29) {
            // within half a year of now in this year: any other year is at least half a year further
            LocalDateTime thisYear = LocalDateTime.of(now.getYear(), month, day, hh, mm, ss, nanos);
            long apart = thisYear.toEpochSecond(ZoneOffset.UTC)
                    - now.toLocalDateTime().toEpochSecond(ZoneOffset.UTC);
            if (Math.abs(apart) < HALF_YEAR_SECONDS) {
                return thisYear;
            }
        }
        LocalDateTime best = null;
        long bestDistance = Long.MAX_VALUE;
        for (int y = now.getYear() - 1; y <= now.getYear() + 1; y++) {
            if (month == 2 && day == 29 && !LocalDate.of(y, 1, 1).isLeapYear()) {
                continue;
            }
            LocalDateTime candidate = LocalDateTime.of(y, month, day, hh, mm, ss, nanos);
            long distance =
                    Math.abs(Duration.between(now.toLocalDateTime(), candidate).getSeconds());
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best == null) {
            throw new DateTimeException("no such date");
        }
        return best;
    }

    /**
     * An RFC 3339 timestamp in a 3164 header (rsyslog's forward format), or the same without an
     * offset (loggen's), which like any 3164 time is local time in {@code zone}.
     */
    private Instant isoTimestamp(String s, int[] p) {
        int sp = s.indexOf(' ', p[0]);
        if (sp < 0 || sp - p[0] < 19 || s.charAt(p[0] + 4) != '-' || s.charAt(p[0] + 10) != 'T') {
            return null;
        }
        Instant t = Rfc3339.parse(s.substring(p[0], sp), zone);
        if (t != null) {
            p[0] = sp + 1;
        }
        return t;
    }

    private static int month(String s, int i) {
        for (int m = 0; m < 12; m++) {
            if (s.regionMatches(i, MONTHS[m], 0, 3)) {
                return m + 1;
            }
        }
        return -1;
    }

    /** The next space-delimited token, advancing past one space; null at the end of the text. */
    private static String token(String s, int[] p) {
        int i = p[0];
        if (i >= s.length()) {
            return null;
        }
        int sp = s.indexOf(' ', i);
        if (sp < 0) {
            p[0] = s.length();
            return s.substring(i);
        }
        p[0] = sp + 1;
        return s.substring(i, sp);
    }

    private static String nil(String v) {
        return v == null || v.equals("-") ? null : v;
    }

    /** The text from {@code i} on without a leading BOM and white space, copied once. */
    private static String messageFrom(String s, int i) {
        int start = Math.min(i, s.length());
        if (start < s.length() && s.charAt(start) == '\uFEFF') {
            start++;
        }
        while (start < s.length() && Character.isWhitespace(s.charAt(start))) {
            start++;
        }
        return s.substring(start);
    }

    private static String trimEnd(String s) {
        int end = s.length();
        while (end > 0) {
            char c = s.charAt(end - 1);
            if (c != '\n' && c != '\r' && c != '\0') {
                break;
            }
            end--;
        }
        return end == s.length() ? s : s.substring(0, end);
    }
}
