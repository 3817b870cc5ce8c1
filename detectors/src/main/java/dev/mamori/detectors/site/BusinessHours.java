package dev.mamori.detectors.site;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Working days and a daily window in the site's time zone. A window whose end is before its start
 * spans midnight (e.g. a night shift 22:00-06:00) and belongs to the day it starts on.
 */
public record BusinessHours(Set<DayOfWeek> days, LocalTime start, LocalTime end) {

    public BusinessHours {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        days = days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
    }

    public static BusinessHours weekdays(LocalTime start, LocalTime end) {
        return new BusinessHours(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), start, end);
    }

    /** Whether the local time falls inside business hours. */
    public boolean contains(ZonedDateTime when) {
        LocalTime t = when.toLocalTime();
        if (!start.isAfter(end)) {
            return days.contains(when.getDayOfWeek()) && !t.isBefore(start) && t.isBefore(end);
        }
        if (!t.isBefore(start)) {
            return days.contains(when.getDayOfWeek());
        }
        return t.isBefore(end) && days.contains(when.getDayOfWeek().minus(1));
    }
}
