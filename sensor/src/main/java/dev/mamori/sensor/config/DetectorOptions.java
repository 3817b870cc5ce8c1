package dev.mamori.sensor.config;

import dev.mamori.detectors.rule.RuleId;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options each rule takes under {@code detectors.<rule id>}, with their types and defaults.
 * Every rule also takes {@code enabled} (default true). A detection that gains an option declares it
 * here, so the configuration rejects misspellings and {@code check-config} shows the default.
 */
final class DetectorOptions {

    enum Type { COUNT, DURATION, SIZE, PORTS, STRINGS, ACCOUNT_HOSTS }

    record Option(String key, Type type, Object def) {
    }

    private static final Map<RuleId, List<Option>> OPTIONS = new EnumMap<>(RuleId.class);

    static {
        declare(RuleId.FW_CONNECT_BACK,
                new Option("ports", Type.PORTS, List.of(25, 80, 443, 8080)),
                new Option("aggregation_window", Type.DURATION, Duration.ofMinutes(5)),
                new Option("allowed_destinations", Type.STRINGS, List.of()));
        declare(RuleId.FW_C2_COMMUNICATION, new Option("aggregation_window", Type.DURATION, Duration.ofMinutes(5)));
        declare(RuleId.MAIL_DISPLAY_NAME_SPOOF, new Option("own_domains", Type.STRINGS, List.of()));
        declare(RuleId.MAIL_EXECUTABLE_ATTACHMENT, new Option("extensions", Type.STRINGS,
                List.copyOf(new java.util.TreeSet<>(dev.mamori.detectors.mail.Executables.DEFAULT_EXTENSIONS))));
        declare(RuleId.PROXY_C2_DAILY_ACCESS, new Option("days", Type.COUNT, 3));
        declare(RuleId.PROXY_CONNECT_NONSTANDARD_PORT, new Option("allowed_ports", Type.PORTS, List.of(80, 443)));
        declare(RuleId.PROXY_UNKNOWN_USER_AGENT, new Option("window", Type.DURATION, Duration.ofHours(1)));
        declare(RuleId.PROXY_EXFILTRATION,
                new Option("threshold_bytes", Type.SIZE, 104_857_600L),
                new Option("window", Type.DURATION, Duration.ofHours(1)));
        declare(RuleId.AD_AUTH_FAILURE_BURST,
                new Option("count", Type.COUNT, 10),
                new Option("spray_accounts", Type.COUNT, 5),
                new Option("window", Type.DURATION, Duration.ofMinutes(5)));
        declare(RuleId.AD_AUTH_SPIKE,
                new Option("factor", Type.COUNT, 5),
                new Option("min_count", Type.COUNT, 20),
                new Option("warmup_hours", Type.COUNT, 24));
        declare(RuleId.AD_UNEXPECTED_ACCOUNT_HOST,
                new Option("expected_hosts", Type.ACCOUNT_HOSTS, Map.of()),
                new Option("denied_accounts", Type.STRINGS, List.of()));
    }

    private DetectorOptions() {
    }

    private static void declare(RuleId rule, Option... options) {
        OPTIONS.put(rule, List.of(options));
    }

    static List<Option> of(RuleId rule) {
        return OPTIONS.getOrDefault(rule, List.of());
    }

    /** Reads one rule's section: {@code enabled} plus its declared options. */
    static DetectorSettings read(RuleId rule, Section s) {
        boolean enabled = s.bool("enabled", true);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Option o : of(rule)) {
            Object v = switch (o.type()) {
                case COUNT -> s.integer(o.key(), (Integer) o.def(), 1, Integer.MAX_VALUE);
                case DURATION -> s.duration(o.key(), (Duration) o.def());
                case SIZE -> s.size(o.key(), (Long) o.def(), 1);
                case PORTS -> s.integers(o.key(), asInts(o.def()), 1, 65535);
                case STRINGS -> s.strings(o.key(), asStrings(o.def()));
                case ACCOUNT_HOSTS -> accountHosts(s.section(o.key()));
            };
            values.put(o.key(), v);
        }
        s.finish();
        return new DetectorSettings(rule, enabled, values);
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

    @SuppressWarnings("unchecked")
    private static List<Integer> asInts(Object o) {
        return (List<Integer>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<String> asStrings(Object o) {
        return (List<String>) o;
    }
}
