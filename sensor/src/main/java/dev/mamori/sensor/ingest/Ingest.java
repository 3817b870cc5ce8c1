package dev.mamori.sensor.ingest;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.firewall.FirewallEvent;
import dev.mamori.detectors.firewall.FirewallParsers;
import dev.mamori.detectors.firewall.FwC2Communication;
import dev.mamori.detectors.firewall.FwConnectBack;
import dev.mamori.detectors.firewall.TrafficSummary;
import dev.mamori.detectors.intel.Indicators;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.RuleId;
import dev.mamori.detectors.rule.Stateful;
import dev.mamori.detectors.site.IpSet;
import dev.mamori.detectors.state.TimeBasis;
import dev.mamori.sensor.config.DetectorSettings;
import dev.mamori.sensor.config.MamoriConfig;
import dev.mamori.sensor.metrics.SensorMetrics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * Assembles formats and detections from the configuration: the same wiring for the live sensor
 * (arrival time, {@code observer.input} of the input) and for {@code analyze} (event time,
 * {@code file}), so both run the same code on a line.
 */
public final class Ingest {

    /** Bound on per-key aggregation state of each detection. */
    static final int MAX_TRACKED_KEYS = 100_000;

    private final LineRouter router;
    private final TrafficSummary firewallSummary;
    private final List<Stateful> stateful;

    private Ingest(LineRouter router, TrafficSummary firewallSummary, List<Stateful> stateful) {
        this.router = router;
        this.firewallSummary = firewallSummary;
        this.stateful = List.copyOf(stateful);
    }

    public static Ingest build(MamoriConfig config, Supplier<Indicators> intel, AlertFactory alerts, AlertSink sink,
            SensorMetrics metrics, TimeBasis timeBasis, Clock clock, ObserverInput input) {
        List<Stateful> stateful = new ArrayList<>();
        List<Detection<FirewallEvent>> firewall = new ArrayList<>();

        DetectorSettings connectBack = config.detector(RuleId.FW_CONNECT_BACK);
        if (connectBack.enabled()) {
            FwConnectBack d = new FwConnectBack(config.site(), new FwConnectBack.Settings(
                    new HashSet<>(connectBack.integers("ports")), IpSet.of(connectBack.strings("allowed_destinations")),
                    connectBack.duration("aggregation_window"), MAX_TRACKED_KEYS),
                    alerts, timeBasis, clock, input);
            firewall.add(d);
            stateful.add(d);
            metrics.gauge("mamori.detector.tracked.keys", "Keys held in a detection's bounded state",
                    d::trackedSources, "rule", RuleId.FW_CONNECT_BACK.id());
        }
        DetectorSettings c2 = config.detector(RuleId.FW_C2_COMMUNICATION);
        if (c2.enabled()) {
            FwC2Communication d = new FwC2Communication(intel, c2.duration("aggregation_window"), MAX_TRACKED_KEYS,
                    alerts, timeBasis, clock, input);
            firewall.add(d);
            stateful.add(d);
        }
        TrafficSummary summary = new TrafficSummary(48, 10_000);
        List<LineFormat> formats = List.of(new FirewallFormat(new FirewallParsers(config.site().timezone()),
                config.site(), firewall, summary, sink, timeBasis, clock, metrics));
        return new Ingest(new LineRouter(formats, metrics), summary, stateful);
    }

    public LineRouter router() {
        return router;
    }

    public TrafficSummary firewallSummary() {
        return firewallSummary;
    }

    /** Lets held alerts out whose windows have closed. */
    public void tick(Instant now, AlertSink sink) {
        for (Stateful s : stateful) {
            s.tick(now, sink);
        }
    }

    /** Lets every held alert out (end of analysis, shutdown). */
    public void drain(AlertSink sink) {
        for (Stateful s : stateful) {
            s.drain(sink);
        }
    }
}
