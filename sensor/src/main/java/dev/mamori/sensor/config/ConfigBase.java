package dev.mamori.sensor.config;

import java.nio.file.Path;

/**
 * Where relative paths in a configuration resolve. A file's paths resolve against the file's folder.
 * The embedded default reads its lists from the jar, and writes (alerts, state) relative to the
 * working directory, so {@code run} with no arguments works from any folder. In either, a path
 * written {@code embedded:config/...} names a list packaged in the jar; that is also what a list key
 * the file leaves out defaults to, so a short file never points at a file its author never named.
 */
sealed interface ConfigBase {

    String EMBEDDED_PREFIX = "embedded:config/";

    ConfigResource readable(String path);

    /** How a list the configuration does not name is shown and read: the jar's copy. */
    static String embeddedDefault(String name) {
        return EMBEDDED_PREFIX + name;
    }

    Path writable(String path);

    record FileBase(Path folder) implements ConfigBase {
        @Override
        public ConfigResource readable(String path) {
            if (path.startsWith(EMBEDDED_PREFIX)) {
                return new ConfigResource.EmbeddedResource(path.substring(EMBEDDED_PREFIX.length()));
            }
            return new ConfigResource.FileResource(folder.resolve(path).normalize());
        }

        @Override
        public Path writable(String path) {
            return folder.resolve(path).normalize();
        }
    }

    record EmbeddedBase(Path workingDirectory) implements ConfigBase {
        @Override
        public ConfigResource readable(String path) {
            if (path.startsWith(EMBEDDED_PREFIX)) {
                return new ConfigResource.EmbeddedResource(path.substring(EMBEDDED_PREFIX.length()));
            }
            Path p = Path.of(path);
            if (p.isAbsolute()) {
                return new ConfigResource.FileResource(p);
            }
            return new ConfigResource.EmbeddedResource(p.normalize().toString().replace('\\', '/'));
        }

        @Override
        public Path writable(String path) {
            return workingDirectory.resolve(path).normalize();
        }
    }
}
