package dev.mamori.detectors.windows;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * One Windows event, whatever form it arrived in. {@code data} holds the EventData fields by
 * their names ({@code TargetUserName}, {@code Status}, ...) and, for events that keep their fields
 * under UserData (1102), those. Absent values are null; codes compare as numbers through
 * {@link #number}.
 *
 * @param form which parser read it ({@code xml}, {@code nxlog}, {@code winlogbeat}, {@code snare})
 */
public record WindowsEvent(
        int eventId,
        String provider,
        String channel,
        String computer,
        Instant time,
        long recordId,
        Map<String, String> data,
        String form,
        String original) {

    public WindowsEvent {
        data = Map.copyOf(data);
    }

    /** A field's value, or null when absent, empty or Windows' placeholder {@code -}. */
    public String field(String name) {
        String v = data.get(name);
        return v == null || v.isEmpty() || v.equals("-") ? null : v;
    }

    /** A field's raw value, keeping empty strings and {@code -} (for checks on blank fields). */
    public String raw(String name) {
        return data.get(name);
    }

    /**
     * A numeric field: hexadecimal ({@code 0xF}, python-evtx's {@code 0x0000000f}) or decimal; -1 when
     * absent or not a number ({@code %%2313} message inserts, names).
     */
    public long number(String name) {
        return parseNumber(data.get(name));
    }

    public static long parseNumber(String v) {
        if (v == null) {
            return -1;
        }
        String t = v.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("0x")) {
                return t.length() > 2 && t.length() <= 18 ? Long.parseUnsignedLong(t.substring(2), 16) : -1;
            }
            return t.isEmpty() || t.length() > 18 ? -1 : Long.parseLong(t);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The short computer name ({@code DC01} of {@code DC01.corp.example.com}), upper case. */
    public String computerShortName() {
        if (computer == null) {
            return null;
        }
        int dot = computer.indexOf('.');
        return (dot > 0 ? computer.substring(0, dot) : computer).toUpperCase(Locale.ROOT);
    }
}
