package dev.mamori.sensor.config;

/** One configuration problem, named by its key path ({@code inputs.smtp.port}). */
public record ConfigError(String path, String message) {
    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
