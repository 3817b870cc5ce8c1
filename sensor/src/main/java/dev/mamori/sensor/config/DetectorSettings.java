package dev.mamori.sensor.config;

import dev.mamori.detectors.rule.RuleId;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One rule's {@code detectors.<rule id>} settings: whether it is on, and its options, already
 * validated against {@link DetectorOptions} so every typed getter has a value.
 */
public record DetectorSettings(RuleId rule, boolean enabled, Map<String, Object> options) {

    public DetectorSettings {
        options = Map.copyOf(options);
    }

    public int integer(String key) {
        return (Integer) require(key);
    }

    public long size(String key) {
        return (Long) require(key);
    }

    public Duration duration(String key) {
        return (Duration) require(key);
    }

    @SuppressWarnings("unchecked")
    public List<Integer> integers(String key) {
        return (List<Integer>) require(key);
    }

    @SuppressWarnings("unchecked")
    public Map<String, List<String>> accountHosts(String key) {
        return (Map<String, List<String>>) require(key);
    }

    @SuppressWarnings("unchecked")
    public List<String> strings(String key) {
        return (List<String>) require(key);
    }

    private Object require(String key) {
        Object v = options.get(key);
        if (v == null) {
            throw new IllegalArgumentException(rule.id() + " has no option '" + key + "'");
        }
        return v;
    }
}
