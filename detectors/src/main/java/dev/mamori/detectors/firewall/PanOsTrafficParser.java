package dev.mamori.detectors.firewall;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Palo Alto PAN-OS TRAFFIC logs (syslog CSV, PAN-OS 8 and later field order). The CSV may follow a
 * syslog header of its own (relays forward device lines verbatim), so the record is located by its
 * {@code ,TRAFFIC,} type field. The action is the action field, or the subtype when the subtype says
 * the session was denied or dropped.
 */
public final class PanOsTrafficParser implements FirewallLogParser {

    private static final String MARK = ",TRAFFIC,";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");

    // Field positions from the start of the CSV record.
    private static final int SUBTYPE = 4;
    private static final int GENERATED = 6;
    private static final int SRC = 7;
    private static final int DST = 8;
    private static final int FROM_ZONE = 16;
    private static final int TO_ZONE = 17;
    private static final int SPORT = 24;
    private static final int DPORT = 25;
    private static final int PROTO = 29;
    private static final int ACTION = 30;
    private static final int BYTES = 31;

    private final ZoneId zone;

    public PanOsTrafficParser(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public String format() {
        return "panos";
    }

    @Override
    public FirewallEvent parse(String message, String device, Instant time) throws MalformedLogException {
        int mark = message.indexOf(MARK);
        if (mark < 0) {
            return null;
        }
        int c2 = message.lastIndexOf(',', mark - 1);
        int c1 = c2 > 0 ? message.lastIndexOf(',', c2 - 1) : -1;
        if (c1 < 0) {
            throw new MalformedLogException("TRAFFIC record without its leading fields");
        }
        int start = message.lastIndexOf(' ', c1 - 1) + 1;
        List<String> f = LogText.csv(message, start, BYTES + 1);
        if (f.size() <= BYTES) {
            throw new MalformedLogException(
                    "TRAFFIC record with " + f.size() + " fields, expected at least " + (BYTES + 1));
        }
        FirewallAction action = FirewallAction.fromWord(f.get(ACTION));
        FirewallAction bySubtype = FirewallAction.fromWord(f.get(SUBTYPE));
        if (action == null || (action == FirewallAction.ALLOW && bySubtype != null && bySubtype.blocked())) {
            action = bySubtype;
        }
        if (action == null) {
            action = FirewallAction.ALLOW; // subtypes start/end/... are sessions the policy allowed
        }
        return new FirewallEvent(
                generated(f.get(GENERATED), time),
                device,
                format(),
                action,
                LogText.protocol(f.get(PROTO)),
                LogText.ip(f.get(SRC), "source"),
                LogText.port(f.get(SPORT), "source port"),
                LogText.ip(f.get(DST), "destination"),
                LogText.port(f.get(DPORT), "destination port"),
                f.get(FROM_ZONE),
                f.get(TO_ZONE),
                LogText.longNumber(f.get(BYTES)),
                message.substring(start));
    }

    private Instant generated(String text, Instant fallback) {
        LocalDateTime fast = plainTime(text);
        if (fast != null) {
            return fast.atZone(zone).toInstant();
        }
        try {
            return LocalDateTime.parse(text, TIME).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }

    /**
     * {@code yyyy/MM/dd HH:mm:ss} with every field in range, read by hand (the formatter cost as much
     * as the rest of the line); null for anything else, which the formatter decides.
     */
    static LocalDateTime plainTime(String t) {
        if (t.length() != 19
                || t.charAt(4) != '/'
                || t.charAt(7) != '/'
                || t.charAt(10) != ' '
                || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return null;
        }
        int year = LogText.digits(t, 0, 4);
        int month = LogText.digits(t, 5, 7);
        int day = LogText.digits(t, 8, 10);
        int hour = LogText.digits(t, 11, 13);
        int minute = LogText.digits(t, 14, 16);
        int second = LogText.digits(t, 17, 19);
        if (year < 1
                || month < 1
                || month > 12
                || day < 1
                || day > YearMonth.of(year, month).lengthOfMonth()
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        return LocalDateTime.of(year, month, day, hour, minute, second);
    }
}
