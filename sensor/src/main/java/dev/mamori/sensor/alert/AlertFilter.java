package dev.mamori.sensor.alert;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.Severity;
import java.util.Set;

/**
 * Which alerts one output takes: at least {@code minSeverity}; only the {@code rules} listed (all
 * when empty); none of {@code excludeRules}.
 */
public record AlertFilter(Severity minSeverity, Set<String> rules, Set<String> excludeRules) {

    public static final AlertFilter ALL = new AlertFilter(Severity.LOW, Set.of(), Set.of());

    public AlertFilter {
        rules = Set.copyOf(rules);
        excludeRules = Set.copyOf(excludeRules);
    }

    public boolean accepts(Alert a) {
        return a.severity().atLeast(minSeverity)
                && (rules.isEmpty() || rules.contains(a.ruleId()))
                && !excludeRules.contains(a.ruleId());
    }
}
