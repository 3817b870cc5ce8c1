package dev.mamori.protocols.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class Rfc3339Test {

    private static final Pattern STRICT_LOCAL =
            Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?");

    private static Instant reference(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Test
    void readsTheFormsSyslogSends() {
        assertThat(Rfc3339.parse("2026-12-04T03:00:01Z")).isEqualTo(Instant.parse("2026-12-04T03:00:01Z"));
        assertThat(Rfc3339.parse("2026-12-04T12:00:01.123456+09:00"))
                .isEqualTo(Instant.parse("2026-12-04T03:00:01.123456Z"));
        assertThat(Rfc3339.parse("2024-02-29T23:59:59.5-05:30")).isEqualTo(Instant.parse("2024-03-01T05:29:59.5Z"));
        assertThat(Rfc3339.parse("2026-02-29T00:00:00Z")).as("no such day").isNull();
        assertThat(Rfc3339.parse("2026-12-04 03:00:01Z")).isNull();
        assertThat(Rfc3339.parse("-")).isNull();
    }

    @Test
    void readsLocalTimesWithoutOffsetInTheZoneGiven() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        assertThat(Rfc3339.parse("2026-12-04T12:00:01", tokyo)).isEqualTo(Instant.parse("2026-12-04T03:00:01Z"));
        assertThat(Rfc3339.parse("2026-12-04T12:00:01.5", tokyo)).isEqualTo(Instant.parse("2026-12-04T03:00:01.5Z"));
        assertThat(Rfc3339.parse("2026-12-04T03:00:01Z", tokyo))
                .as("an offset wins")
                .isEqualTo(Instant.parse("2026-12-04T03:00:01Z"));
        assertThat(Rfc3339.parse("2026-12-04T03:00:01.", tokyo)).isNull();
        assertThat(Rfc3339.parse("2026-02-30T03:00:01", tokyo)).isNull();
        assertThat(Rfc3339.parse("2026-12-04T03:60:01", tokyo)).isNull();
        assertThat(Rfc3339.parse("2026-12-04T03:00:01"))
                .as("RFC 3339 needs the offset")
                .isNull();
    }

    /**
     * Whatever the text, in a zone: LocalDateTime.parse's answer for the strict local form (with
     * seconds, a four-digit year), OffsetDateTime.parse's for anything else.
     */
    @Test
    void withZoneAgreesWithLocalDateTimeOrOffsetDateTimeOnAnyText() {
        Random random = new Random(3164);
        String[] seeds = {
            "2026-12-04T03:00:01", "2026-12-04T03:00:01.123456789", "2000-02-29T23:59:59.1", "2026-12-04T03:00:01Z"
        };
        ZoneOffset zone = ZoneOffset.ofHours(9);
        for (int i = 0; i < 100_000; i++) {
            String s = mutate(seeds[random.nextInt(seeds.length)], random);
            Instant expected;
            try {
                expected = STRICT_LOCAL.matcher(s).matches()
                        ? LocalDateTime.parse(s).toInstant(zone)
                        : reference(s);
            } catch (DateTimeParseException e) {
                expected = null;
            }
            assertThat(Rfc3339.parse(s, zone)).as(s).isEqualTo(expected);
        }
    }

    /** Whatever the text, the same answer as OffsetDateTime.parse: the same instant, or a refusal. */
    @Test
    void agreesWithOffsetDateTimeOnAnyText() {
        Random random = new Random(5424);
        String[] seeds = {
            "2026-12-04T03:00:01Z",
            "2026-12-04T03:00:01.123456789+09:00",
            "2000-02-29T23:59:59.1-18:00",
            "1999-12-31t00:00:00z",
            "2026-01-31T24:00:00+14:00"
        };
        for (int i = 0; i < 200_000; i++) {
            String s = mutate(seeds[random.nextInt(seeds.length)], random);
            assertThat(Rfc3339.parse(s)).as(s).isEqualTo(reference(s));
        }
    }

    /** Up to three characters inserted, deleted or replaced, from those a date-time is made of. */
    private static String mutate(String seed, Random random) {
        String alphabet = "0123456789-:T.Zz+ t";
        StringBuilder b = new StringBuilder(seed);
        for (int k = random.nextInt(4); k > 0; k--) {
            int at = random.nextInt(b.length() + 1);
            switch (random.nextInt(3)) {
                case 0 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                case 1 -> {
                    if (at < b.length()) {
                        b.deleteCharAt(at);
                    }
                }
                default -> {
                    if (at < b.length()) {
                        b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                }
            }
        }
        return b.toString();
    }
}
