package dev.mamori.detectors.rule;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One option a rule takes under {@code detectors.<rule id>}, with its type and default. The
 * configuration reads and validates options from these declarations, so a rule that gains an option
 * declares it here and nowhere else; {@code check-config} prints the default.
 */
public sealed interface OptionSpec {

    String key();

    Object defaultValue();

    /** A whole number of at least 1. */
    record Count(String key, Integer defaultValue) implements OptionSpec {}

    /** A duration such as {@code 5m}. */
    record Window(String key, Duration defaultValue) implements OptionSpec {}

    /** A size such as {@code 100MiB}. */
    record Bytes(String key, Long defaultValue) implements OptionSpec {}

    /** One of a few words. */
    record Choice(String key, String defaultValue, List<String> choices) implements OptionSpec {
        public Choice {
            choices = List.copyOf(choices);
        }
    }

    /** A list of ports 1..65535. */
    record Ports(String key, List<Integer> defaultValue) implements OptionSpec {
        public Ports {
            defaultValue = List.copyOf(defaultValue);
        }
    }

    /** A list of words (domains, extensions, account names, addresses). */
    record Words(String key, List<String> defaultValue) implements OptionSpec {
        public Words {
            defaultValue = List.copyOf(defaultValue);
        }
    }

    /** {@code account: [address, CIDR block or host name, ...]}. */
    record AccountHosts(String key, Map<String, List<String>> defaultValue) implements OptionSpec {
        public AccountHosts {
            defaultValue = Map.copyOf(defaultValue);
        }
    }

    static Count count(String key, int def) {
        return new Count(key, def);
    }

    static Window window(String key, Duration def) {
        return new Window(key, def);
    }

    static Bytes bytes(String key, long def) {
        return new Bytes(key, def);
    }

    static Choice choice(String key, String def, String... choices) {
        return new Choice(key, def, List.of(choices));
    }

    static Ports ports(String key, Integer... def) {
        return new Ports(key, List.of(def));
    }

    static Words words(String key, List<String> def) {
        return new Words(key, def);
    }

    static AccountHosts accountHosts(String key) {
        return new AccountHosts(key, Map.of());
    }
}
