package dev.mamori.detectors.firewall;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.intel.Indicators;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.OptionSpec;
import dev.mamori.detectors.rule.RuleSpec;
import dev.mamori.detectors.rule.Stateful;
import dev.mamori.detectors.state.BurstAggregator;
import dev.mamori.detectors.state.TimeBasis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code fw.c2_communication}: traffic to or from a listed C&amp;C address. Critical when the
 * firewall let it through (the host may already be talking to its controller), high when it was
 * refused. One alert per (source, destination, verdict) burst, plus a follow-up with the count.
 * The indicator set is read through a supplier, so a reload takes effect on the next event.
 */
public final class FwC2Communication implements Detection<FirewallEvent>, Stateful {

    public static final Rule RULE = new Rule("fw.c2_communication", Severity.HIGH, "T1071");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<FirewallEvent> SPEC = RuleSpec.of(
            RULE,
            FirewallEvent.class,
            (ctx, o) -> new FwC2Communication(
                    ctx.indicators(),
                    o.get().window("aggregation_window"),
                    ctx.maxKeys(),
                    ctx.alerts(),
                    ctx.timeBasis(),
                    ctx.clock(),
                    ctx.input()),
            OptionSpec.window("aggregation_window", Duration.ofMinutes(5)));

    private record Key(String source, String destination, boolean allowed) {}

    private final Supplier<Indicators> indicators;
    private final AlertFactory alerts;
    private final TimeBasis timeBasis;
    private final Clock clock;
    private final ObserverInput input;
    private final BurstAggregator<Key, FirewallEvent> bursts;

    public FwC2Communication(
            Supplier<Indicators> indicators,
            Duration window,
            int maxKeys,
            AlertFactory alerts,
            TimeBasis timeBasis,
            Clock clock,
            ObserverInput input) {
        this.indicators = indicators;
        this.alerts = alerts;
        this.timeBasis = timeBasis;
        this.clock = clock;
        this.input = input;
        this.bursts = new BurstAggregator<>(window, maxKeys);
    }

    @Override
    public Rule rule() {
        return RULE;
    }

    @Override
    public void inspect(FirewallEvent e, AlertSink sink) {
        Indicators intel = indicators.get();
        if (match(intel, e) == null) {
            return;
        }
        List<BurstAggregator.Burst<Key, FirewallEvent>> closed = new ArrayList<>(0);
        Key key = new Key(e.sourceIp(), e.destinationIp(), !e.action().blocked());
        boolean first = bursts.record(key, timeBasis.of(e.time(), clock), e, closed);
        emit(intel, closed, sink);
        if (first) {
            sink.emit(alert(intel, e, 1, null, null));
        }
    }

    @Override
    public void tick(Instant now, AlertSink sink) {
        emit(indicators.get(), bursts.expire(now), sink);
    }

    @Override
    public int trackedKeys() {
        return bursts.size();
    }

    /** Occurrences alerted one by one, unaggregated, because the burst table was full. */
    @Override
    public long keysDropped() {
        return bursts.overflows();
    }

    @Override
    public void drain(AlertSink sink) {
        emit(indicators.get(), bursts.drain(), sink);
    }

    /** The matching indicator, destination first (the usual direction of a call home). */
    private static String match(Indicators intel, FirewallEvent e) {
        String hit = intel.matchIp(e.destinationIp());
        return hit != null ? hit : intel.matchIp(e.sourceIp());
    }

    private void emit(Indicators intel, List<BurstAggregator.Burst<Key, FirewallEvent>> closed, AlertSink sink) {
        for (BurstAggregator.Burst<Key, FirewallEvent> b : closed) {
            sink.emit(alert(intel, b.lastEvent(), b.repeats(), b.first(), b.last()));
        }
    }

    private Alert alert(Indicators intel, FirewallEvent e, long count, Instant first, Instant last) {
        boolean allowed = !e.action().blocked();
        String indicator = match(intel, e);
        boolean destinationListed = intel.matchIp(e.destinationIp()) != null;
        String local = destinationListed ? e.sourceIp() : e.destinationIp();
        AlertFactory.Builder b = alerts.alert(RULE, input)
                .at(e.time() != null ? e.time() : clock.instant())
                .severity(allowed ? Severity.CRITICAL : Severity.HIGH)
                .field(AlertField.SOURCE_IP, e.sourceIp())
                .field(AlertField.DESTINATION_IP, e.destinationIp())
                .field(AlertField.NETWORK_TRANSPORT, e.protocol())
                .field(AlertField.HOST_NAME, e.device())
                .field(AlertField.EVENT_ACTION, e.action().label())
                .field(AlertField.EVENT_COUNT, count)
                .field(AlertField.EVENT_ORIGINAL, e.original())
                .args(
                        local,
                        indicator == null ? alerts.catalog().text("list_changed") : indicator,
                        alerts.catalog().text("action." + e.action().label()),
                        count);
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
