package dev.mamori.sensor.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A read-only file the configuration names (an indicator list, an allowed-agent list): a file on
 * disk, or, for the embedded default configuration, a copy packaged in the jar.
 */
public sealed interface ConfigResource {

    InputStream open() throws IOException;

    boolean exists();

    /** How to show it to an operator: the absolute path, or {@code embedded:config/...}. */
    String describe();

    record FileResource(Path path) implements ConfigResource {
        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(path);
        }

        @Override
        public boolean exists() {
            return Files.isRegularFile(path) && Files.isReadable(path);
        }

        @Override
        public String describe() {
            return path.toString();
        }
    }

    /** A resource under {@code config/} in the jar; {@code name} is relative to that folder. */
    record EmbeddedResource(String name) implements ConfigResource {
        @Override
        public InputStream open() throws IOException {
            InputStream in = ConfigResource.class.getResourceAsStream("/config/" + name);
            if (in == null) {
                throw new NoSuchFileException(describe());
            }
            return in;
        }

        @Override
        public boolean exists() {
            return ConfigResource.class.getResource("/config/" + name) != null;
        }

        @Override
        public String describe() {
            return "embedded:config/" + name;
        }
    }
}
