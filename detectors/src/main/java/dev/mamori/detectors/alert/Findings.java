package dev.mamori.detectors.alert;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The sink an inline input hands the detections for one request or message: alerts go on to
 * {@code alerts}, findings are kept for the verdict. One per request; not shared between threads.
 */
public final class Findings implements AlertSink {

    private final AlertSink alerts;
    private final List<Finding> found = new ArrayList<>(2);

    public Findings(AlertSink alerts) {
        this.alerts = alerts;
    }

    @Override
    public void emit(Alert alert) {
        alerts.emit(alert);
    }

    @Override
    public void found(Finding finding) {
        found.add(finding);
    }

    public List<Finding> all() {
        return List.copyOf(found);
    }

    /** The ids of the rules that found something, in the order they did. */
    public Set<String> rules() {
        Set<String> ids = new LinkedHashSet<>();
        found.forEach(f -> ids.add(f.ruleId()));
        return ids;
    }

    /** The first finding of one of {@code rules}. */
    public Optional<Finding> first(Set<String> rules) {
        return found.stream().filter(f -> rules.contains(f.ruleId())).findFirst();
    }
}
