package dev.mamori.detectors.rule;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rule's options as configured, already validated against its {@link OptionSpec}s, so every typed
 * getter finds a value of its type.
 */
public record RuleOptions(String ruleId, Map<String, Object> values) {

    public RuleOptions {
        values = Map.copyOf(values);
    }

    /** Every option at its default. */
    public static RuleOptions defaults(RuleSpec<?> spec) {
        Map<String, Object> v = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            v.put(o.key(), o.defaultValue());
        }
        return new RuleOptions(spec.id(), v);
    }

    public int count(String key) {
        return (Integer) require(key);
    }

    public String choice(String key) {
        return (String) require(key);
    }

    public long bytes(String key) {
        return (Long) require(key);
    }

    public Duration window(String key) {
        return (Duration) require(key);
    }

    @SuppressWarnings("unchecked")
    public List<Integer> ports(String key) {
        return (List<Integer>) require(key);
    }

    @SuppressWarnings("unchecked")
    public List<String> words(String key) {
        return (List<String>) require(key);
    }

    @SuppressWarnings("unchecked")
    public Map<String, List<String>> accountHosts(String key) {
        return (Map<String, List<String>>) require(key);
    }

    private Object require(String key) {
        Object v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException(ruleId + " has no option '" + key + "'");
        }
        return v;
    }
}
