package dev.mamori.sensor.alert;

import dev.mamori.detectors.alert.Alert;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The durable record: alerts appended as JSON lines to one file, created with its folder. When the
 * next line would take the file past {@code maxSize}, the file is fsynced and rotated
 * ({@code alerts.jsonl} -> {@code .1} -> {@code .2} ..., keeping {@code maxFiles} rotated files) and
 * a new one is started. Lines are buffered and written at {@link #flush()}, i.e. whenever the queue
 * runs empty; {@link #close()} fsyncs. A crash can leave a last line half written: on start such a
 * torn tail is cut back to the last complete line ({@link #tornBytes()}), so readers never meet a
 * broken line and the next alert starts on a line of its own.
 */
public final class JsonLinesFileOutput implements AlertOutput {

    private static final int BUFFER = 1 << 16;

    private final Path path;
    private final long maxSize;
    private final int maxFiles;
    /** One line's bytes, reused from alert to alert. */
    private final JsonBytes line = new JsonBytes(1024);

    private ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    private FileChannel channel;
    private long size;
    private final long tornBytes;

    public JsonLinesFileOutput(Path path, long maxSize, int maxFiles) throws IOException {
        this.path = path.toAbsolutePath();
        this.maxSize = maxSize;
        this.maxFiles = maxFiles;
        Path dir = this.path.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        tornBytes = repairTail(this.path);
        open();
    }

    /** Bytes of a half-written last line cut at start (0 when the file ended cleanly). */
    public long tornBytes() {
        return tornBytes;
    }

    /** Cuts the file back to its last newline when it does not end with one; returns the bytes cut. */
    private static long repairTail(Path path) throws IOException {
        if (!Files.exists(path)) {
            return 0;
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return repairTail(channel, channel.size());
        }
    }

    private static long repairTail(FileChannel channel, long size) throws IOException {
        if (size == 0) {
            return 0;
        }
        ByteBuffer one = ByteBuffer.allocate(1);
        channel.read(one, size - 1);
        if (one.get(0) == '\n') {
            return 0;
        }
        long end = size;
        long keep = 0;
        ByteBuffer chunk = ByteBuffer.allocate(BUFFER);
        search:
        while (end > 0) {
            long start = Math.max(0, end - BUFFER);
            chunk.clear().limit((int) (end - start));
            int n = 0;
            while (chunk.hasRemaining() && n >= 0) {
                n = channel.read(chunk, start + chunk.position());
            }
            for (int i = chunk.position() - 1; i >= 0; i--) {
                if (chunk.get(i) == '\n') {
                    keep = start + i + 1;
                    break search;
                }
            }
            end = start;
        }
        long torn = size - keep;
        channel.truncate(keep);
        channel.force(true);
        return torn;
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
        line.reset();
        AlertJson.encodeLine(alert, line);
        int length = line.size();
        if (size + buffer.position() + length > maxSize && size + buffer.position() > 0) {
            rotate();
        }
        if (length > buffer.remaining()) {
            flush();
            if (length > buffer.capacity()) {
                buffer = ByteBuffer.allocate(length);
            }
        }
        buffer.put(line.array(), 0, length);
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
