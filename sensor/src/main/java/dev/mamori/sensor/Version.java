package dev.mamori.sensor;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's version, filtered into {@code version.properties} by Maven. */
public final class Version {
    private Version() {}

    public static String get() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
