package dev.mamori.sensor.ingest;

import dev.mamori.detectors.firewall.Direction;
import dev.mamori.detectors.firewall.FirewallAction;
import dev.mamori.detectors.firewall.FirewallEvent;
import dev.mamori.detectors.firewall.TrafficSummary;
import dev.mamori.detectors.site.SiteProfile;
import dev.mamori.detectors.state.TimeBasis;
import dev.mamori.sensor.metrics.SensorMetrics;
import dev.mamori.sensor.review.ReviewBook;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.time.Instant;
import java.util.function.BiConsumer;

/**
 * What every firewall event adds to the guide's periodic review: the hourly summary, the day's
 * review, and {@code mamori_firewall_events_total{action, direction}}.
 */
final class FirewallTally implements BiConsumer<LogRecord, FirewallEvent> {

    private final SiteProfile site;
    private final TrafficSummary summary;
    private final TimeBasis timeBasis;
    private final Clock clock;
    private final Counter[][] events;
    private final ReviewBook reviews;

    FirewallTally(
            SiteProfile site,
            TrafficSummary summary,
            ReviewBook reviews,
            TimeBasis timeBasis,
            Clock clock,
            SensorMetrics metrics) {
        this.site = site;
        this.reviews = reviews;
        this.summary = summary;
        this.timeBasis = timeBasis;
        this.clock = clock;
        this.events = new Counter[FirewallAction.values().length][Direction.values().length];
        for (FirewallAction a : FirewallAction.values()) {
            for (Direction d : Direction.values()) {
                events[a.ordinal()][d.ordinal()] = metrics.firewallEvents(a.label(), d.label());
            }
        }
    }

    @Override
    public void accept(LogRecord record, FirewallEvent e) {
        Direction d = Direction.of(site, e);
        events[e.action().ordinal()][d.ordinal()].increment();
        Instant when = timeBasis.of(e.time(), clock);
        summary.add(e, d, when);
        reviews.firewall(e, d, when);
    }
}
