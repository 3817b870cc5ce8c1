package dev.mamori.sensor.ingest;

import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.sigma.SigmaDetection;
import dev.mamori.detectors.sigma.SigmaRules;
import dev.mamori.detectors.windows.WindowsEvent;
import dev.mamori.sensor.config.MamoriConfig;
import dev.mamori.sensor.metrics.SensorMetrics;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured Sigma rules as one Windows detection that a reload can replace: {@link #load}
 * compiles the rule files off the input threads and swaps the new set in at once, so events see
 * the old rules or the new, never a mix. Every refused rule is logged with its file and reason;
 * {@code mamori_sigma_rules_loaded} and {@code mamori_sigma_rules_rejected{reason}} follow the set
 * in force.
 */
public final class SigmaRuleSet implements Detection<WindowsEvent> {

    private static final Logger log = LoggerFactory.getLogger(SigmaRuleSet.class);
    private static final List<String> REASONS =
            List.of("logsource", "modifier", "condition", "correlation", "yaml", "other");

    private final MessageCatalog catalog;
    private final ObserverInput input;
    private final Clock clock;
    private final AtomicReference<SigmaDetection> engine = new AtomicReference<>();
    private final AtomicReference<SigmaRules.Loaded> loaded = new AtomicReference<>();
    private volatile Map<String, Integer> refused = Map.of();

    SigmaRuleSet(MessageCatalog catalog, ObserverInput input, Clock clock, SensorMetrics metrics) {
        this.catalog = catalog;
        this.input = input;
        this.clock = clock;
        metrics.gauge("mamori.sigma.rules.loaded", "Sigma rules compiled and running", () -> {
            SigmaRules.Loaded l = loaded.get();
            return l == null ? 0 : l.rules().size();
        });
        for (String reason : REASONS) {
            metrics.gauge(
                    "mamori.sigma.rules.rejected",
                    "Sigma rules that did not compile, by reason",
                    () -> refused.getOrDefault(reason, 0),
                    "reason",
                    reason);
        }
    }

    /**
     * Compiles the rules and puts them in force.
     *
     * @throws IOException when a configured file or folder cannot be read (the rules in force stay)
     */
    public SigmaRules.Loaded load(MamoriConfig.SigmaSettings settings) throws IOException {
        SigmaRules.Loaded l =
                SigmaRules.load(settings.rules(), settings.statuses(), settings.minLevel(), settings.informational());
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

    /** The set in force. */
    public SigmaRules.Loaded loaded() {
        return loaded.get();
    }

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
}
