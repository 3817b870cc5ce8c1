package dev.mamori.detectors.sigma;

import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.windows.WindowsEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured Sigma rules, shown to the sensor as one Windows detection ({@link #detection}) that
 * a reload can replace: {@link #load}
 * compiles the rule files off the input threads and swaps the new set in at once, so events see
 * the old rules or the new, never a mix. Every refused rule is logged with its file and reason.
 */
public final class SigmaRuleSet {

    private static final Logger log = LoggerFactory.getLogger(SigmaRuleSet.class);

    /** The {@code reason} labels of refused rules ({@link SigmaRules#reasonKind}). */
    public static final List<String> REASONS =
            List.of("logsource", "modifier", "condition", "correlation", "yaml", "other");

    private final MessageCatalog catalog;
    private final ObserverInput input;
    private final Clock clock;
    private final AtomicReference<SigmaDetection> engine = new AtomicReference<>();
    private final AtomicReference<SigmaRules.Loaded> loaded = new AtomicReference<>();
    private volatile Map<String, Integer> refused = Map.of();

    public SigmaRuleSet(MessageCatalog catalog, ObserverInput input, Clock clock) {
        this.catalog = catalog;
        this.input = input;
        this.clock = clock;
    }

    /**
     * Compiles the rules and puts them in force.
     *
     * @throws IOException when a configured file or folder cannot be read (the rules in force stay)
     */
    public SigmaRules.Loaded load(List<Path> rules, Set<String> statuses, Severity minLevel, boolean informational)
            throws IOException {
        SigmaRules.Loaded l = SigmaRules.load(rules, statuses, minLevel, informational);
        SigmaDetection detection = new SigmaDetection(l.rules(), catalog, input, clock);
        Map<String, Integer> byReason = new TreeMap<>();
        for (SigmaRules.Rejected r : l.rejected()) {
            byReason.merge(SigmaRules.reasonKind(r.reason()), 1, Integer::sum);
            log.warn("sigma: {}: refused: {}", r.file(), r.reason());
        }
        engine.set(detection);
        loaded.set(l);
        refused = Map.copyOf(byReason);
        log.info(
                "sigma: {} rules loaded ({} on Windows events), {} left out by status or level, {} refused {}",
                l.rules().size(),
                detection.windowsRules(),
                l.filtered(),
                l.rejected().size(),
                byReason);
        return l;
    }

    /** The rules in force (empty before the first load). */
    public int rulesLoaded() {
        SigmaRules.Loaded l = loaded.get();
        return l == null ? 0 : l.rules().size();
    }

    /** Rules refused at the last load for this kind of reason. */
    public int refused(String reasonKind) {
        return refused.getOrDefault(reasonKind, 0);
    }

    /** The rules in force as one detection: whatever a reload swaps in is what the next event meets. */
    public Detection<WindowsEvent> detection() {
        return new Detection<>() {
            @Override
            public Rule rule() {
                return SigmaDetection.RULE;
            }

            @Override
            public void inspect(WindowsEvent event, AlertSink sink) {
                SigmaDetection d = engine.get();
                if (d != null) {
                    d.inspect(event, sink);
                }
            }
        };
    }
}
