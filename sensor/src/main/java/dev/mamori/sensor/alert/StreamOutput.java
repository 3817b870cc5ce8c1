package dev.mamori.sensor.alert;

import dev.mamori.detectors.alert.Alert;
import java.io.IOException;
import java.io.Writer;

/** JSON lines to a writer (stdout for {@code analyze}); the writer itself is not closed. */
public final class StreamOutput implements AlertOutput {

    private final String name;
    private final Writer out;

    public StreamOutput(String name, Writer out) {
        this.name = name;
        this.out = out;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void write(Alert alert) throws IOException {
        AlertJson.write(alert, out);
        out.write('\n');
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
