package dev.mamori.detectors.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.Language;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BusinessHoursTest {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    private static ZonedDateTime at(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(TOKYO);
    }

    @Test
    void weekdayWindowIncludesStartExcludesEnd() {
        BusinessHours h = BusinessHours.weekdays(LocalTime.of(8, 0), LocalTime.of(19, 0));
        assertThat(h.contains(at("2026-11-27T08:00"))).isTrue(); // Friday
        assertThat(h.contains(at("2026-11-27T18:59"))).isTrue();
        assertThat(h.contains(at("2026-11-27T19:00"))).isFalse();
        assertThat(h.contains(at("2026-11-27T07:59"))).isFalse();
        assertThat(h.contains(at("2026-11-28T10:00"))).isFalse(); // Saturday
    }

    @Test
    void windowOverMidnightBelongsToTheDayItStarts() {
        BusinessHours night = new BusinessHours(EnumSet.of(DayOfWeek.FRIDAY), LocalTime.of(22, 0), LocalTime.of(6, 0));
        assertThat(night.contains(at("2026-11-27T23:00"))).isTrue(); // Friday night
        assertThat(night.contains(at("2026-11-28T05:59"))).isTrue(); // early Saturday, Friday's shift
        assertThat(night.contains(at("2026-11-28T06:00"))).isFalse();
        assertThat(night.contains(at("2026-11-27T05:00"))).isFalse(); // early Friday belongs to Thursday
    }

    @Test
    void siteProfileUsesItsTimezone() {
        SiteProfile site = new SiteProfile(
                IpSet.empty(),
                Set.of("Untrust"),
                TOKYO,
                BusinessHours.weekdays(LocalTime.of(8, 0), LocalTime.of(19, 0)),
                List.of(),
                Set.of("Administrator"),
                Language.EN);
        // 2026-11-27T00:30Z is 09:30 on Friday in Tokyo, but 00:30 in UTC.
        assertThat(site.isBusinessHours(Instant.parse("2026-11-27T00:30:00Z"))).isTrue();
        assertThat(site.isBusinessHours(Instant.parse("2026-11-27T12:00:00Z"))).isFalse();
        assertThat(site.isExternalZone("UNTRUST")).isTrue();
        assertThat(site.isPrivileged("administrator")).isTrue();
    }
}
