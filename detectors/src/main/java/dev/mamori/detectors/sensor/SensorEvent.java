package dev.mamori.detectors.sensor;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

/**
 * What the sensor observes about its own collection, as events the {@code sensor.*} rules read:
 * a source gone quiet, a source whose clock is off, a day's review closed. The sensor's source
 * tracker and review book produce them; the rules only word them.
 */
public sealed interface SensorEvent {

    /** When the sensor noticed. */
    Instant at();

    /** A span as a person reads it in a message: to the nearest minute, past two hours to the nearest hour. */
    static Duration roughly(Duration d) {
        long seconds = d.abs().toSeconds();
        long minutes = (seconds + 30) / 60;
        if (minutes >= 120) {
            return Duration.ofHours((minutes + 30) / 60);
        }
        return minutes >= 1 ? Duration.ofMinutes(minutes) : Duration.ofSeconds(seconds);
    }

    /**
     * An expected source (or one of its expected event ids) quiet past its {@code max_silence}.
     *
     * @param lastSeen the last time it was heard (null: never since the sensor started)
     * @param eventId the expected event id that stopped, or null for the whole source
     */
    record SourceSilent(
            Instant at,
            String source,
            String kind,
            String address,
            String host,
            Instant lastSeen,
            Duration quiet,
            Integer eventId)
            implements SensorEvent {}

    /**
     * A source's event times differ from their arrival by more than {@code site.max_clock_skew}.
     *
     * @param skew event time minus arrival: positive when the source's clock is ahead
     */
    record ClockSkewed(Instant at, String source, String address, String host, Duration skew, Instant eventTime)
            implements SensorEvent {}

    /**
     * A day of the periodic review has closed (in the site's time zone).
     *
     * @param deniedOutbound firewall events from internal hosts to the outside that were refused
     */
    record DayClosed(
            Instant at,
            LocalDate date,
            long firewallEvents,
            long deniedOutbound,
            long proxyRequests,
            long authentications,
            long authFailures,
            long alerts)
            implements SensorEvent {}
}
