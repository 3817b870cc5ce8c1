package dev.mamori.sensor.review;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * The site's local date and hour of an instant, as {@code when.atZone(zone)} gives them, but
 * remembered for the stretch of time they hold: the review asks for both on every event, and
 * events arrive in order within an hour, where each {@code atZone} looked the offset up again.
 * A stretch ends at the next hour and never spans a change of offset, so it is exact in any zone
 * (half-hour daylight saving included). Safe for any number of threads: one immutable stretch is
 * replaced whole.
 */
final class LocalHours {

    /** Epoch seconds {@code [from, until)}, all on {@code date} at {@code hour}. */
    record Stretch(long from, long until, LocalDate date, int hour) {
        boolean holds(long second) {
            return second >= from && second < until;
        }
    }

    private final ZoneId zone;
    private final ZoneRules rules;
    private volatile Stretch last;

    LocalHours(ZoneId zone) {
        this.zone = zone;
        this.rules = zone.getRules();
    }

    Stretch of(Instant when) {
        long second = when.getEpochSecond();
        Stretch s = last;
        if (s != null && s.holds(second)) {
            return s;
        }
        ZonedDateTime local = when.atZone(zone);
        // The local hour's bounds at this offset (not the truncated local time's instant, which a
        // half-hour gap would move); the offset's own bounds below cut them where it changes.
        long from = second - (local.getMinute() * 60L + local.getSecond());
        long until = from + 3600;
        ZoneOffsetTransition before = rules.previousTransition(Instant.ofEpochSecond(second + 1));
        if (before != null) {
            from = Math.max(from, before.toEpochSecond());
        }
        ZoneOffsetTransition after = rules.nextTransition(Instant.ofEpochSecond(second));
        if (after != null) {
            until = Math.min(until, after.toEpochSecond());
        }
        s = new Stretch(from, until, local.toLocalDate(), local.getHour());
        if (s.holds(second)) {
            last = s;
        }
        return s;
    }
}
