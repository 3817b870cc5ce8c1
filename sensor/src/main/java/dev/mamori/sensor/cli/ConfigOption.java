package dev.mamori.sensor.cli;

import dev.mamori.sensor.config.ConfigError;
import dev.mamori.sensor.config.ConfigException;
import dev.mamori.sensor.config.ConfigLoader;
import dev.mamori.sensor.config.MamoriConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option every command shares, and the uniform report of its errors. */
final class ConfigOption {

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "YAML configuration (default: the embedded config/mamori.yaml)")
    Path file;

    /** Loads the configuration, or prints every error with its key path and returns null. */
    MamoriConfig load(PrintWriter err) {
        try {
            return ConfigLoader.loadOrDefault(file);
        } catch (ConfigException e) {
            String source = file == null ? "embedded:" + ConfigLoader.EMBEDDED : file.toString();
            err.println("mamori: invalid configuration " + source + ":");
            for (ConfigError error : e.errors()) {
                err.println("  " + error);
            }
            err.flush();
            return null;
        }
    }
}
