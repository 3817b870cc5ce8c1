package dev.mamori.sensor.config;

import dev.mamori.detectors.rule.OptionSpec;
import dev.mamori.detectors.rule.RuleOptions;
import dev.mamori.detectors.rule.RuleSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One rule's {@code detectors.<rule id>} settings: whether it is on, and its options, read and
 * validated against the options its {@link RuleSpec} declares, so every typed getter has a value.
 */
public record DetectorSettings(String rule, boolean enabled, RuleOptions options) {

    /** Reads one rule's section: {@code enabled} plus the options its spec declares. */
    static DetectorSettings read(RuleSpec<?> spec, Section s) {
        boolean enabled = s.bool("enabled", true);
        Map<String, Object> values = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            Object v;
            if (o instanceof OptionSpec.Count c) {
                v = s.integer(c.key(), c.defaultValue(), 1, Integer.MAX_VALUE);
            } else if (o instanceof OptionSpec.Window w) {
                v = s.duration(w.key(), w.defaultValue());
            } else if (o instanceof OptionSpec.Bytes b) {
                v = s.size(b.key(), b.defaultValue(), 1);
            } else if (o instanceof OptionSpec.Ports p) {
                v = s.integers(p.key(), p.defaultValue(), 1, 65535);
            } else if (o instanceof OptionSpec.Choice c) {
                v = s.choice(c.key(), c.defaultValue(), c.choices().toArray(String[]::new));
            } else if (o instanceof OptionSpec.Words w) {
                v = s.strings(w.key(), w.defaultValue());
            } else {
                v = accountHosts(s.section(o.key()));
            }
            values.put(o.key(), v);
        }
        s.finish();
        return new DetectorSettings(spec.id(), enabled, new RuleOptions(spec.id(), values));
    }

    /** {@code account: [address, CIDR or host name, ...]} */
    private static Map<String, List<String>> accountHosts(Section s) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String account : s.keys()) {
            List<String> entries = s.strings(account, List.of());
            if (entries.isEmpty()) {
                s.error(account, "must list at least one address, CIDR block or host name");
            }
            out.put(account, entries);
        }
        s.finish();
        return out;
    }

    public int integer(String key) {
        return options.count(key);
    }

    public long size(String key) {
        return options.bytes(key);
    }

    public Duration duration(String key) {
        return options.window(key);
    }

    public List<Integer> integers(String key) {
        return options.ports(key);
    }

    public Map<String, List<String>> accountHosts(String key) {
        return options.accountHosts(key);
    }

    public List<String> strings(String key) {
        return options.words(key);
    }
}
