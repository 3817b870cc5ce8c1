package dev.mamori.protocols.syslog;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * RFC 3339 timestamps as syslog carries them (RFC 5424 6.2.3, and rsyslog's forward format in 3164
 * headers). The strict form {@code YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)} is read by hand;
 * anything else goes to {@link OffsetDateTime#parse}, so both give the same instant or both refuse.
 * {@code OffsetDateTime.parse} alone cost ten times the rest of a 5424 header.
 */
final class Rfc3339 {

    private Rfc3339() {}

    /** The instant, or null if {@code s} is not an RFC 3339 date-time. */
    static Instant parse(String s) {
        Local l = local(s);
        Instant fast = l == null ? null : withOffset(s, l);
        return fast != null ? fast : general(s);
    }

    /**
     * As {@link #parse(String)}, and the same form without the offset ({@code
     * YYYY-MM-DDTHH:MM:SS[.fraction]}, an ISO 8601 local time, as syslog-ng's loggen and some devices
     * write it in a 3164 header) as a time in {@code zone}.
     */
    static Instant parse(String s, ZoneId zone) {
        Local l = local(s);
        if (l != null && l.end == s.length()) {
            return LocalDateTime.ofEpochSecond(l.epochSecond, l.nanos, ZoneOffset.UTC)
                    .atZone(zone)
                    .toInstant();
        }
        Instant fast = l == null ? null : withOffset(s, l);
        return fast != null ? fast : general(s);
    }

    /** Whatever {@link OffsetDateTime#parse} makes of it, without the exception when it cannot. */
    private static Instant general(String s) {
        if (!mayHaveOffset(s)) {
            return null; // it would refuse, at the price of an exception
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** An offset (Z or a sign) can only follow the 'T' that every ISO date-time has. */
    private static boolean mayHaveOffset(String s) {
        int t = s.indexOf('T');
        if (t < 0) {
            t = s.indexOf('t');
        }
        if (t < 0) {
            return false;
        }
        for (int i = t + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 'Z' || c == 'z' || c == '+' || c == '-') {
                return true;
            }
        }
        return false;
    }

    /** The strict form's offset after {@code l}, or null to let the general parser decide. */
    private static Instant withOffset(String s, Local l) {
        int n = s.length();
        int i = l.end;
        int offsetSeconds;
        if (i == n - 1 && (s.charAt(i) == 'Z' || s.charAt(i) == 'z')) {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = Ascii.digits(s, i + 1, i + 3);
            int om = Ascii.digits(s, i + 4, i + 6);
            if (oh < 0 || om < 0 || oh > 18 || om > 59 || (oh == 18 && om > 0)) {
                return null;
            }
            offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return null;
        }
        return Instant.ofEpochSecond(l.epochSecond - offsetSeconds, l.nanos);
    }

    /** A local date-time read as if in UTC, and the index just past it. */
    private record Local(long epochSecond, int nanos, int end) {}

    /** {@code YYYY-MM-DDTHH:MM:SS[.fraction]} at the start of {@code s}, or null. */
    private static Local local(String s) {
        int n = s.length();
        if (n < 19
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || (s.charAt(10) != 'T' && s.charAt(10) != 't')
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = Ascii.digits(s, 0, 4);
        int month = Ascii.digits(s, 5, 7);
        int day = Ascii.digits(s, 8, 10);
        int hour = Ascii.digits(s, 11, 13);
        int minute = Ascii.digits(s, 14, 16);
        int second = Ascii.digits(s, 17, 19);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                nanos = nanos * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == start || i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                return null;
            }
            for (int k = i - start; k < 9; k++) {
                nanos *= 10;
            }
        }
        if (hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        try {
            long days = LocalDate.of(year, month, day).toEpochDay();
            return new Local(days * 86_400 + hour * 3600L + minute * 60L + second, nanos, i);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
