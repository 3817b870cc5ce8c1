package dev.mamori.sensor.ingest;

import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.firewall.Direction;
import dev.mamori.detectors.firewall.FirewallAction;
import dev.mamori.detectors.firewall.FirewallEvent;
import dev.mamori.detectors.firewall.FirewallParsers;
import dev.mamori.detectors.firewall.TrafficSummary;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.site.SiteProfile;
import dev.mamori.detectors.state.TimeBasis;
import dev.mamori.sensor.metrics.SensorMetrics;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.util.List;

/**
 * Firewall logs: parse with {@link FirewallParsers}, add to the periodic-review summary, count in
 * {@code mamori_firewall_events_total{action, direction}}, and run the firewall detections.
 */
public final class FirewallFormat implements LineFormat {

    private final FirewallParsers parsers;
    private final SiteProfile site;
    private final List<Detection<FirewallEvent>> detections;
    private final TrafficSummary summary;
    private final AlertSink alerts;
    private final TimeBasis timeBasis;
    private final Clock clock;
    private final Counter[][] events;

    public FirewallFormat(FirewallParsers parsers, SiteProfile site, List<Detection<FirewallEvent>> detections,
            TrafficSummary summary, AlertSink alerts, TimeBasis timeBasis, Clock clock, SensorMetrics metrics) {
        this.parsers = parsers;
        this.site = site;
        this.detections = List.copyOf(detections);
        this.summary = summary;
        this.alerts = alerts;
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
    public String name() {
        return "firewall";
    }

    @Override
    public Outcome handle(LogRecord record) {
        FirewallParsers.Result r = parsers.parse(record.message(), record.host(), record.time());
        if (r instanceof FirewallParsers.Parsed p) {
            FirewallEvent e = p.event();
            Direction d = Direction.of(site, e);
            events[e.action().ordinal()][d.ordinal()].increment();
            summary.add(e, d, timeBasis.of(e.time(), clock));
            for (Detection<FirewallEvent> detection : detections) {
                detection.inspect(e, alerts);
            }
            return new Parsed(e.format());
        }
        if (r instanceof FirewallParsers.Malformed m) {
            return new Failed(m.format(), m.reason());
        }
        return NOT_MINE;
    }
}
