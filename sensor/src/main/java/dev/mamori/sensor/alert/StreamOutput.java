package dev.mamori.sensor.alert;

import dev.mamori.detectors.alert.Alert;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;

/** JSON lines to a stream (stdout for {@code analyze}); the stream itself is not closed. */
public final class StreamOutput implements AlertOutput {

    private final String name;
    private final BufferedWriter out;

    public StreamOutput(String name, OutputStream stream) {
        this.name = name;
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
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
