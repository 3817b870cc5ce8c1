package dev.mamori.sensor.review;

import java.util.List;
import java.util.Map;

/**
 * One day of the periodic review as it is kept in {@code <state_dir>/reviews/<date>.json} and
 * rendered: plain values only, so the file reads back after an upgrade. Hours are the site's.
 *
 * @param learning the first day the sensor kept a review: nothing is marked first-seen on it
 * @param announced the day's summary was sent to the outputs ({@code sensor.daily_review})
 */
public record DayData(
        String date,
        boolean learning,
        boolean announced,
        long firewallEvents,
        long[] allowedByHour,
        long[] deniedByHour,
        long deniedOutbound,
        Map<String, Long> deniedOutboundSources,
        Map<String, Long> destinationPorts,
        List<String> newDestinationPorts,
        long proxyRequests,
        long[] proxyByHour,
        Map<String, Long> proxyDestinations,
        Map<String, Long> userAgents,
        List<String> newUserAgents,
        long offHoursRequests,
        Map<String, Long> offHoursClients,
        Map<String, Long> connectPorts,
        Map<String, Long> uploadBytes,
        long authentications,
        long authFailures,
        Map<String, AccountDay> accounts,
        Map<String, Long> alertsBySeverity,
        Map<String, Long> alertsByRule,
        List<AlertLine> alerts) {

    /** One account's authentications on the day; {@code hosts} bounded. */
    public record AccountDay(long successes, long failures, long offHours, List<String> hosts) {}

    /** One alert of the day, as the report lists it. */
    public record AlertLine(long time, String rule, String severity, String message, String incident) {}

    public long alertCount() {
        return alertsBySeverity == null
                ? 0
                : alertsBySeverity.values().stream().mapToLong(Long::longValue).sum();
    }
}
