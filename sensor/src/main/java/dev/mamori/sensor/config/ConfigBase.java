package dev.mamori.sensor.config;

import java.nio.file.Path;

/**
 * Where relative paths in a configuration resolve. A file's paths resolve against the file's folder.
 * The embedded default reads its lists from the jar, and writes (alerts, state) relative to the
 * working directory, so {@code run} with no arguments works from any folder.
 */
sealed interface ConfigBase {

    ConfigResource readable(String path);

    Path writable(String path);

    record FileBase(Path folder) implements ConfigBase {
        @Override
        public ConfigResource readable(String path) {
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
