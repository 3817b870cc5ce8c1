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
 * {@code fw.lateral_admin}: one workstation reaches another on a remote-administration port (RDP
 * 3389, SMB 445, WinRM 5985/5986, RPC 135), as an internal firewall between segments sees it. The
 * guide asks for separated segments and remote access only from the administrators' machines:
 * workstations are {@code site.client_networks}, sources in {@code site.admin_networks} are exempt.
 * High when the firewall let it through, medium when it refused. One alert per (source,
 * destination, port) burst, plus a follow-up with the count.
 */
public final class FwLateralAdmin implements Detection<FirewallEvent>, Stateful {

    public static final Rule RULE = new Rule("fw.lateral_admin", Severity.HIGH, "T1021");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<FirewallEvent> SPEC = RuleSpec.of(
                    RULE,
                    FirewallEvent.class,
                    (ctx, o) -> new FwLateralAdmin(
                            ctx.site(),
                            new HashSet<>(o.get().ports("ports")),
                            o.get().window("aggregation_window"),
                            ctx.maxKeys(),
                            ctx.alerts(),
                            ctx.timeBasis(),
                            ctx.clock(),
                            ctx.input()),
                    OptionSpec.ports("ports", 135, 445, 3389, 5985, 5986),
                    OptionSpec.window("aggregation_window", Duration.ofMinutes(5)))
            .needing("destination_port");

    private record Key(String source, String destination, int port, boolean allowed) {}

    private final SiteProfile site;
    private final Set<Integer> ports;
    private final AlertFactory alerts;
    private final TimeBasis timeBasis;
    private final Clock clock;
    private final ObserverInput input;
    private final BurstAggregator<Key, FirewallEvent> bursts;

    public FwLateralAdmin(
            SiteProfile site,
            Set<Integer> ports,
            Duration window,
            int maxKeys,
            AlertFactory alerts,
            TimeBasis timeBasis,
            Clock clock,
            ObserverInput input) {
        this.site = site;
        this.ports = Set.copyOf(ports);
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
        if (!ports.contains(e.destinationPort())
                || e.sourceIp() == null
                || e.sourceIp().equals(e.destinationIp())
                || !site.clientNetworks().contains(e.sourceIp())
                || !site.clientNetworks().contains(e.destinationIp())
                || site.adminNetworks().contains(e.sourceIp())) {
            return;
        }
        List<BurstAggregator.Burst<Key, FirewallEvent>> closed = new ArrayList<>(0);
        Key key = new Key(
                e.sourceIp(),
                e.destinationIp(),
                e.destinationPort(),
                !e.action().blocked());
        boolean first = bursts.record(key, timeBasis.of(e.time(), clock), e, closed);
        emit(closed, sink);
        if (first) {
            sink.emit(alert(e, 1, null, null));
        }
    }

    @Override
    public void tick(Instant now, AlertSink sink) {
        emit(bursts.expire(now), sink);
    }

    @Override
    public void drain(AlertSink sink) {
        emit(bursts.drain(), sink);
    }

    @Override
    public int trackedKeys() {
        return bursts.size();
    }

    @Override
    public long keysDropped() {
        return bursts.overflows();
    }

    private void emit(List<BurstAggregator.Burst<Key, FirewallEvent>> closed, AlertSink sink) {
        for (BurstAggregator.Burst<Key, FirewallEvent> b : closed) {
            sink.emit(alert(b.lastEvent(), b.repeats(), b.first(), b.last()));
        }
    }

    private Alert alert(FirewallEvent e, long count, Instant first, Instant last) {
        AlertFactory.Builder b = alerts.alert(RULE, input)
                .at(e.time() != null ? e.time() : clock.instant())
                .severity(e.action().blocked() ? Severity.MEDIUM : Severity.HIGH)
                .field(AlertField.SOURCE_IP, e.sourceIp())
                .field(AlertField.DESTINATION_IP, e.destinationIp())
                .field(AlertField.DESTINATION_PORT, e.destinationPort())
                .field(AlertField.NETWORK_TRANSPORT, e.protocol())
                .field(AlertField.HOST_NAME, e.device())
                .field(AlertField.EVENT_ACTION, e.action().label())
                .field(AlertField.EVENT_COUNT, count)
                .field(AlertField.EVENT_ORIGINAL, e.original())
                .args(e.sourceIp(), e.destinationIp(), e.destinationPort(), count);
        if (first != null) {
            b.field(AlertField.EVENT_START, first.toString()).field(AlertField.EVENT_END, last.toString());
        }
        return b.build();
    }
}
