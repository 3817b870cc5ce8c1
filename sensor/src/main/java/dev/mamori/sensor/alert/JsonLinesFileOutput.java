package dev.mamori.sensor.alert;

import dev.mamori.detectors.alert.Alert;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The durable record: alerts appended as JSON lines to one file, created with its folder. When the
 * next line would take the file past {@code maxSize}, the file is fsynced and rotated
 * ({@code alerts.jsonl} -> {@code .1} -> {@code .2} ..., keeping {@code maxFiles} rotated files) and
 * a new one is started. Lines are buffered and written at {@link #flush()}, i.e. whenever the queue
 * runs empty; {@link #close()} fsyncs.
 */
public final class JsonLinesFileOutput implements AlertOutput {

    private static final int BUFFER = 1 << 16;

    private final Path path;
    private final long maxSize;
    private final int maxFiles;
    private final StringBuilder line = new StringBuilder(1024);
    private ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    private FileChannel channel;
    private long size;

    public JsonLinesFileOutput(Path path, long maxSize, int maxFiles) throws IOException {
        this.path = path.toAbsolutePath();
        this.maxSize = maxSize;
        this.maxFiles = maxFiles;
        Path dir = this.path.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        open();
    }

    private void open() throws IOException {
        channel =
                FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        size = channel.size();
    }

    public Path path() {
        return path;
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public void write(Alert alert) throws IOException {
        line.setLength(0);
        line.append(AlertJson.toJson(alert)).append('\n');
        byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
        if (size + buffer.position() + bytes.length > maxSize && size + buffer.position() > 0) {
            rotate();
        }
        if (bytes.length > buffer.remaining()) {
            flush();
            if (bytes.length > buffer.capacity()) {
                buffer = ByteBuffer.allocate(bytes.length);
            }
        }
        buffer.put(bytes);
    }

    @Override
    public void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            size += channel.write(buffer);
        }
        buffer.clear();
    }

    private void rotate() throws IOException {
        flush();
        channel.force(true);
        channel.close();
        if (maxFiles == 0) {
            Files.delete(path);
        } else {
            Files.deleteIfExists(rotated(maxFiles));
            for (int i = maxFiles - 1; i >= 1; i--) {
                if (Files.exists(rotated(i))) {
                    Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(path, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        }
        open();
    }

    private Path rotated(int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }

    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        try {
            flush();
            channel.force(true);
        } finally {
            channel.close();
        }
    }
}
