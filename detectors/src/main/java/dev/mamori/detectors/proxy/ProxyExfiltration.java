package dev.mamori.detectors.proxy;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.OptionSpec;
import dev.mamori.detectors.rule.Persistent;
import dev.mamori.detectors.rule.RuleSpec;
import dev.mamori.detectors.rule.Stateful;
import dev.mamori.detectors.state.KeyedState;
import dev.mamori.detectors.state.TimeBasis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code proxy.exfiltration}: one client sends a POST to a host and then consecutive CONNECT
 * tunnels to the same host, and the bytes it sent (request sizes, as the {@code mamori} log format
 * records them) add up past {@code thresholdBytes} within {@code window}. Any other request to that
 * host ends the sequence. One alert per sequence. State per (client, host), bounded by
 * {@code maxKeys}, expired sequences swept by {@link #tick}.
 */
public final class ProxyExfiltration implements Detection<ProxyEvent>, Stateful, Persistent<ProxyExfiltration.Upload> {

    public static final Rule RULE = new Rule("proxy.exfiltration", Severity.HIGH, "T1048");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<ProxyEvent> SPEC = RuleSpec.of(
                    RULE,
                    ProxyEvent.class,
                    (ctx, o) -> new ProxyExfiltration(
                            o.get().bytes("threshold_bytes"),
                            o.get().window("window"),
                            ctx.maxKeys(),
                            ctx.alerts(),
                            ctx.timeBasis(),
                            ctx.clock(),
                            ctx.input()),
                    OptionSpec.bytes("threshold_bytes", 104_857_600L),
                    OptionSpec.window("window", Duration.ofHours(1)))
            .needing("request_bytes");

    /** One open sequence; also the snapshot format. */
    public record Upload(String client, String host, long start, long bytes, boolean alerted) {}

    private static final class Sequence {
        final long start;
        long bytes;
        boolean alerted;

        Sequence(long start, long bytes) {
            this.start = start;
            this.bytes = bytes;
        }
    }

    private final long thresholdBytes;
    private final long windowMillis;
    private final AlertFactory alerts;
    private final TimeBasis timeBasis;
    private final Clock clock;
    private final ObserverInput input;
    /** Open upload sequences by (client, host), partitioned by client. */
    private final KeyedState<Pair, Sequence> sequences;

    private record Pair(String client, String host) {}

    public ProxyExfiltration(
            long thresholdBytes,
            Duration window,
            int maxKeys,
            AlertFactory alerts,
            TimeBasis timeBasis,
            Clock clock,
            ObserverInput input) {
        this.thresholdBytes = thresholdBytes;
        this.windowMillis = window.toMillis();
        this.sequences = new KeyedState<>(maxKeys, Pair::client);
        this.alerts = alerts;
        this.timeBasis = timeBasis;
        this.clock = clock;
        this.input = input;
    }

    @Override
    public Rule rule() {
        return RULE;
    }

    @Override
    public void inspect(ProxyEvent e, AlertSink sink) {
        // Only sources that record request sizes (the mamori log format) can show an upload; the
        // same request may also arrive in a sizeless form (native log, ICAP CONNECT), which must
        // neither count nor break the sequence.
        if (e.client() == null || e.host() == null || e.requestBytes() < 0) {
            return;
        }
        long now = timeBasis.of(e.time(), clock).toEpochMilli();
        Pair key = new Pair(e.client(), e.host());
        long sent = e.requestBytes();
        if (e.isPost()) {
            sequences.put(key, new Sequence(now, sent));
            return;
        }
        if (!e.isConnect()) {
            sequences.remove(key);
            return;
        }
        Sequence s = sequences.get(key);
        if (s == null) {
            return;
        }
        long total;
        boolean fire;
        synchronized (s) {
            if (now - s.start > windowMillis) {
                sequences.remove(key, s);
                return;
            }
            s.bytes += sent;
            total = s.bytes;
            fire = !s.alerted && total > thresholdBytes;
            if (fire) {
                s.alerted = true;
            }
        }
        if (fire) {
            sink.emit(ProxyAlerts.start(alerts, RULE, input, e, clock)
                    .field(AlertField.EVENT_COUNT, total)
                    .args(e.client(), total, e.host(), window())
                    .build());
        }
    }

    private String window() {
        return alerts.catalog().duration(Duration.ofMillis(windowMillis));
    }

    @Override
    public void tick(Instant now, AlertSink sink) {
        long cutoff = now.toEpochMilli() - windowMillis;
        sequences.evictIf((k, s) -> s.start < cutoff);
    }

    /** Nothing is held back; open sequences stay (they are snapshotted across restarts). */
    @Override
    public void drain(AlertSink sink) {}

    @Override
    public int trackedKeys() {
        return sequences.size();
    }

    @Override
    public Class<Upload> entryType() {
        return Upload.class;
    }

    @Override
    public List<Upload> snapshot(Predicate<String> clients) {
        return sequences.snapshot(clients, (k, s) -> {
            synchronized (s) {
                return new Upload(k.client(), k.host(), s.start, s.bytes, s.alerted);
            }
        });
    }

    @Override
    public void restore(List<Upload> saved) {
        for (Upload u : saved) {
            if (u.client() == null || u.host() == null || u.bytes() < 0) {
                continue;
            }
            Sequence s = new Sequence(u.start(), u.bytes());
            s.alerted = u.alerted();
            sequences.restore(new Pair(u.client(), u.host()), s);
        }
    }

    /** Upload sequences not opened because the table was full. */
    @Override
    public long keysDropped() {
        return sequences.dropped();
    }

    @Override
    public void forget(Predicate<String> partitions) {
        sequences.forget(partitions);
    }
}
