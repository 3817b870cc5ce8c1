package dev.mamori.sensor.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LocalHoursTest {

    /**
     * Date and hour are what {@code atZone} says, for instants in order, out of order and right
     * around every change of offset from 2020 to 2030, in zones with whole-hour, half-hour and no
     * daylight saving, and with offsets that are not whole hours.
     */
    @Test
    void dateAndHourAreTheZonesOwnWhateverTheOrder() {
        Random random = new Random(3600);
        for (String id : List.of(
                "UTC",
                "Asia/Tokyo",
                "America/New_York",
                "Europe/London",
                "Australia/Lord_Howe",
                "Asia/Kolkata",
                "America/St_Johns",
                "Asia/Kathmandu",
                "Pacific/Chatham")) {
            ZoneId zone = ZoneId.of(id);
            LocalHours hours = new LocalHours(zone);
            List<Instant> cases = new ArrayList<>();
            Instant start = Instant.parse("2020-01-01T00:00:00Z");
            Instant end = Instant.parse("2030-01-01T00:00:00Z");
            for (ZoneOffsetTransition t = zone.getRules().nextTransition(start);
                    t != null && t.getInstant().isBefore(end);
                    t = zone.getRules().nextTransition(t.getInstant())) {
                long[] around = {-3601, -3600, -1801, -1800, -1, 0, 1, 1799, 1800, 3599, 3600, 5400};
                for (long d : around) {
                    cases.add(t.getInstant().plusSeconds(d));
                    cases.add(t.getInstant().plusSeconds(d).plusNanos(999_999_999));
                }
                // and back again: a stretch worked out after the change must not answer before it
                for (int i = around.length - 1; i >= 0; i--) {
                    cases.add(t.getInstant().plusSeconds(around[i]));
                }
            }
            Instant t = start;
            for (int i = 0; i < 20_000; i++) {
                t = t.plusSeconds(random.nextInt(900)).plusNanos(random.nextInt(1_000_000_000));
                cases.add(t);
                if (random.nextInt(10) == 0) {
                    cases.add(t.minusSeconds(random.nextInt(7200)));
                }
            }
            for (int i = 0; i < 5_000; i++) {
                cases.add(Instant.ofEpochSecond(random.nextLong(-3_000_000_000L, 4_000_000_000L)));
            }
            for (Instant when : cases) {
                ZonedDateTime expected = when.atZone(zone);
                LocalHours.Stretch s = hours.of(when);
                assertThat(s.date()).as("%s %s", id, when).isEqualTo(expected.toLocalDate());
                assertThat(s.hour()).as("%s %s", id, when).isEqualTo(expected.getHour());
            }
        }
    }

    /** Instants within one hour are answered from what the first one worked out. */
    @Test
    void anHourIsWorkedOutOnce() {
        LocalHours hours = new LocalHours(ZoneId.of("Asia/Tokyo"));
        LocalHours.Stretch first = hours.of(Instant.parse("2026-12-04T03:10:00Z"));
        assertThat(hours.of(Instant.parse("2026-12-04T03:59:59.999Z"))).isSameAs(first);
        assertThat(hours.of(Instant.parse("2026-12-04T03:00:00Z"))).isSameAs(first);
        assertThat(hours.of(Instant.parse("2026-12-04T04:00:00Z"))).isNotSameAs(first);
        assertThat(first.hour()).isEqualTo(12);
    }
}
