package dev.mamori.detectors.sigma;

import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.firewall.FirewallEvent;
import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.Stateful;
import dev.mamori.detectors.state.TimeBasis;
import dev.mamori.detectors.windows.WindowsEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured Sigma rules, shown to the sensor as one detection per kind of event
 * ({@link #windows}, {@link #proxy}, {@link #firewall}) that a reload can replace: {@link #load}
 * compiles the rule files off the input threads and swaps the new {@link SigmaEngine} in at once,
 * so events see the old rules or the new, never a mix. Every refused rule is logged with its file and
 * reason. A reload starts the correlation windows afresh. As {@link Stateful} it lets the correlations
 * judge their closed windows on the sensor's tick.
 */
public final class SigmaRuleSet implements Stateful {

    private static final Logger log = LoggerFactory.getLogger(SigmaRuleSet.class);

    /** The {@code reason} labels of refused rules ({@link SigmaRules#reasonKind}). */
    public static final List<String> REASONS =
            List.of("logsource", "modifier", "condition", "correlation", "yaml", "other");

    private final MessageCatalog catalog;
    private final ObserverInput input;
    private final Clock clock;
    private final int maxKeys;
    private final TimeBasis basis;
    private final AtomicReference<SigmaEngine> engine = new AtomicReference<>();
    private final AtomicReference<SigmaRules.Loaded> loaded = new AtomicReference<>();
    private volatile Map<String, Integer> refused = Map.of();

    /**
     * @param maxKeys the bound of each correlation's state ({@code sensor.max_tracked_keys})
     * @param basis the clock correlation windows follow (arrival live, event time offline)
     */
    public SigmaRuleSet(MessageCatalog catalog, ObserverInput input, Clock clock, int maxKeys, TimeBasis basis) {
        this.basis = basis;
        this.catalog = catalog;
        this.input = input;
        this.clock = clock;
        this.maxKeys = maxKeys;
    }

    /**
     * Compiles the rules and puts them in force.
     *
     * @throws IOException when a configured file or folder cannot be read (the rules in force stay)
     */
    public SigmaRules.Loaded load(List<Path> rules, Set<String> statuses, Severity minLevel, boolean informational)
            throws IOException {
        SigmaRules.Loaded l = SigmaRules.load(rules, statuses, minLevel, informational);
        SigmaEngine next = new SigmaEngine(l, catalog, input, clock, maxKeys, basis, true);
        Map<String, Integer> byReason = new TreeMap<>();
        for (SigmaRules.Rejected r : l.rejected()) {
            byReason.merge(SigmaRules.reasonKind(r.reason()), 1, Integer::sum);
            log.warn("sigma: {}: refused: {}", r.file(), r.reason());
        }
        engine.set(next);
        loaded.set(l);
        refused = Map.copyOf(byReason);
        log.info(
                "sigma: {} rules loaded ({} on Windows events, {} proxy, {} firewall, {} correlations),"
                        + " {} left out by status or level, {} refused {}",
                l.size(),
                next.windowsRules(),
                next.proxyRules(),
                next.firewallRules(),
                next.correlationRules(),
                l.filtered(),
                l.rejected().size(),
                byReason);
        return l;
    }

    /** The rules and correlations in force (none before the first load). */
    public int rulesLoaded() {
        SigmaRules.Loaded l = loaded.get();
        return l == null ? 0 : l.size();
    }

    /** Rules refused at the last load for this kind of reason. */
    public int refused(String reasonKind) {
        return refused.getOrDefault(reasonKind, 0);
    }

    /** The rules on Windows events: whatever a reload swaps in is what the next event meets. */
    public Detection<WindowsEvent> windows() {
        return detection(SigmaEngine::windows);
    }

    /** The rules with {@code category: proxy}. */
    public Detection<ProxyEvent> proxy() {
        return detection(SigmaEngine::proxy);
    }

    /** The rules with {@code category: firewall}. */
    public Detection<FirewallEvent> firewall() {
        return detection(SigmaEngine::firewall);
    }

    /** How an engine reads one kind of event. */
    @FunctionalInterface
    private interface Reads<E> {
        void inspect(SigmaEngine engine, E event, AlertSink sink);
    }

    private <E> Detection<E> detection(Reads<E> reads) {
        return new Detection<>() {
            @Override
            public Rule rule() {
                return SigmaEngine.RULE;
            }

            @Override
            public void inspect(E event, AlertSink sink) {
                SigmaEngine e = engine.get();
                if (e != null) {
                    reads.inspect(e, event, sink);
                }
            }
        };
    }

    @Override
    public Rule rule() {
        return SigmaEngine.RULE;
    }

    @Override
    public void tick(Instant now, AlertSink sink) {
        withEngine((e, s) -> e.tick(now, s), sink);
    }

    @Override
    public void drain(AlertSink sink) {
        withEngine(SigmaEngine::drain, sink);
    }

    private void withEngine(BiConsumer<SigmaEngine, AlertSink> action, AlertSink sink) {
        SigmaEngine e = engine.get();
        if (e != null) {
            action.accept(e, sink);
        }
    }

    @Override
    public long keysDropped() {
        SigmaEngine e = engine.get();
        return e == null ? 0 : e.keysDropped();
    }

    @Override
    public int trackedKeys() {
        SigmaEngine e = engine.get();
        return e == null ? 0 : e.trackedKeys();
    }
}
