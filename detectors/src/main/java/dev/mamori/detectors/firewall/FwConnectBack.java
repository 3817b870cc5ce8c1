package dev.mamori.detectors.firewall;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.OptionSpec;
import dev.mamori.detectors.rule.RuleSpec;
import dev.mamori.detectors.rule.Stateful;
import dev.mamori.detectors.site.IpSet;
import dev.mamori.detectors.site.SiteProfile;
import dev.mamori.detectors.state.BurstAggregator;
import dev.mamori.detectors.state.TimeBasis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code fw.connect_back}: an internal host tried to reach outside and the firewall refused
 * (deny, drop, reject). Malware on an infected host calls home; a refused call home is the guide's
 * first firewall sign. High severity on the ports malware favours (25, 80, 443, 8080 by default),
 * medium otherwise; listed business destinations are exempt. Repeats of one source at one severity
 * fold into one alert plus one follow-up with the count ({@link BurstAggregator}).
 */
public final class FwConnectBack implements Detection<FirewallEvent>, Stateful {

    public static final Rule RULE = new Rule("fw.connect_back", Severity.MEDIUM, "T1071");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<FirewallEvent> SPEC = RuleSpec.of(
            RULE,
            FirewallEvent.class,
            (ctx, o) -> new FwConnectBack(
                    ctx.site(),
                    new Settings(
                            new HashSet<>(o.get().ports("ports")),
                            IpSet.of(o.get().words("allowed_destinations")),
                            o.get().window("aggregation_window"),
                            ctx.maxKeys()),
                    ctx.alerts(),
                    ctx.timeBasis(),
                    ctx.clock(),
                    ctx.input()),
            OptionSpec.ports("ports", 25, 80, 443, 8080),
            OptionSpec.window("aggregation_window", Duration.ofMinutes(5)),
            OptionSpec.words("allowed_destinations", List.of()));

    /** @param highPorts destination ports that make the alert high */
    public record Settings(Set<Integer> highPorts, IpSet allowedDestinations, Duration window, int maxSources) {
        public Settings {
            highPorts = Set.copyOf(highPorts);
        }
    }

    private record Key(String source, Severity severity) {}

    private final SiteProfile site;
    private final Settings settings;
    private final AlertFactory alerts;
    private final TimeBasis timeBasis;
    private final Clock clock;
    private final ObserverInput input;
    private final BurstAggregator<Key, FirewallEvent> bursts;

    public FwConnectBack(
            SiteProfile site,
            Settings settings,
            AlertFactory alerts,
            TimeBasis timeBasis,
            Clock clock,
            ObserverInput input) {
        this.site = site;
        this.settings = settings;
        this.alerts = alerts;
        this.timeBasis = timeBasis;
        this.clock = clock;
        this.input = input;
        this.bursts = new BurstAggregator<>(settings.window(), settings.maxSources());
    }

    @Override
    public Rule rule() {
        return RULE;
    }

    @Override
    public void inspect(FirewallEvent e, AlertSink sink) {
        if (!e.action().blocked()
                || Direction.of(site, e) != Direction.OUTBOUND
                || settings.allowedDestinations().contains(e.destinationIp())) {
            return;
        }
        Severity severity = settings.highPorts().contains(e.destinationPort()) ? Severity.HIGH : Severity.MEDIUM;
        List<BurstAggregator.Burst<Key, FirewallEvent>> closed = new ArrayList<>(0);
        Instant now = timeBasis.of(e.time(), clock);
        boolean first = bursts.record(new Key(e.sourceIp(), severity), now, e, closed);
        emit(closed, sink);
        if (first) {
            sink.emit(alert(e, severity, 1, null, null));
        }
    }

    @Override
    public void tick(Instant now, AlertSink sink) {
        emit(bursts.expire(now), sink);
    }

    /** Occurrences alerted one by one, unaggregated, because the burst table was full. */
    @Override
    public long keysDropped() {
        return bursts.overflows();
    }

    @Override
    public void drain(AlertSink sink) {
        emit(bursts.drain(), sink);
    }

    /** Sources with an open burst; for metrics. */
    @Override
    public int trackedKeys() {
        return bursts.size();
    }

    public int trackedSources() {
        return bursts.size();
    }

    private void emit(List<BurstAggregator.Burst<Key, FirewallEvent>> closed, AlertSink sink) {
        for (BurstAggregator.Burst<Key, FirewallEvent> b : closed) {
            sink.emit(alert(b.lastEvent(), b.key().severity(), b.repeats(), b.first(), b.last()));
        }
    }

    private Alert alert(FirewallEvent e, Severity severity, long count, Instant first, Instant last) {
        AlertFactory.Builder b = alerts.alert(RULE, input)
                .at(e.time() != null ? e.time() : clock.instant())
                .severity(severity)
                .field(AlertField.SOURCE_IP, e.sourceIp())
                .field(AlertField.DESTINATION_IP, e.destinationIp())
                .field(AlertField.NETWORK_TRANSPORT, e.protocol())
                .field(AlertField.HOST_NAME, e.device())
                .field(AlertField.EVENT_ACTION, e.action().label())
                .field(AlertField.EVENT_COUNT, count)
                .field(AlertField.EVENT_ORIGINAL, e.original())
                .args(e.sourceIp(), e.destinationIp(), e.destinationPort() < 0 ? "-" : e.destinationPort(), count);
        if (e.sourcePort() >= 0) {
            b.field(AlertField.SOURCE_PORT, e.sourcePort());
        }
        if (e.destinationPort() >= 0) {
            b.field(AlertField.DESTINATION_PORT, e.destinationPort());
        }
        if (first != null) {
            b.field(AlertField.EVENT_START, first.toString()).field(AlertField.EVENT_END, last.toString());
        }
        return b.build();
    }
}
