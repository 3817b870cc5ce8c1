package dev.mamori.sensor.config;

import java.util.List;
import java.util.stream.Collectors;

/** The configuration is invalid; carries every error found, not only the first. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> errors;

    public ConfigException(String source, List<ConfigError> errors) {
        super(source + ": " + errors.size() + " error(s)\n"
                + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
