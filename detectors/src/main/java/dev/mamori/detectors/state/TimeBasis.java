package dev.mamori.detectors.state;

import java.time.Clock;
import java.time.Instant;

/**
 * Which clock windows and buckets follow. A live sensor uses arrival time (devices' clocks drift,
 * and replayed old lines must not reopen old windows); offline analysis uses the time written in
 * each event, so that a day of logs read in seconds still has its days and hours.
 */
public enum TimeBasis {
    ARRIVAL,
    EVENT;

    public Instant of(Instant eventTime, Clock clock) {
        return this == EVENT && eventTime != null ? eventTime : clock.instant();
    }
}
