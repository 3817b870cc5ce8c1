package dev.mamori.sensor.alert;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * An append-only log of records on disk, read in order and removed only once the reader commits
 * past them: what a forwarding output keeps while its destination is down. Records live in
 * numbered segment files ({@code 00000000000000000001.seg}, 4 MiB each), each record
 * {@code [length][CRC32C][bytes]}; the committed position is in {@code cursor} (written to a
 * temporary file, fsynced, renamed). {@link #sync} fsyncs what was appended, so a restart or a
 * {@code kill -9} loses nothing synced. On open, a torn or corrupt record at a segment's end (a
 * crash mid-append) is cut. Past {@code maxBytes} the oldest segments are deleted and their records
 * counted as dropped.
 *
 * <p>Not thread-safe: one output's writer thread owns it.
 */
public final class Spool implements AutoCloseable {

    static final long SEGMENT_BYTES = 4L << 20;
    private static final int HEADER = 8;
    /** No alert is this large; a length past it is corruption. */
    private static final int MAX_RECORD = 16 << 20;

    /** A position: a segment and an offset in it. */
    record Position(long segment, long offset) {}

    /** One record read, and the position just past it. */
    public record Entry(byte[] bytes, Position next) {}

    private final Path dir;
    private final long maxBytes;
    /** Segment number to its size on disk. */
    private final TreeMap<Long, Long> segments = new TreeMap<>();

    private FileChannel writing;
    private long writingSegment;
    private Position committed;
    private Position reading;
    private long dropped;
    private long cut;

    public Spool(Path dir, long maxBytes) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".seg")) {
                    long n = Long.parseLong(name.substring(0, name.length() - 4));
                    segments.put(n, repair(f));
                }
            }
        }
        committed = readCursor();
        if (segments.isEmpty()) {
            segments.put(Math.max(1, committed.segment()), 0L);
        }
        if (committed.segment() < segments.firstKey()) {
            committed = new Position(segments.firstKey(), 0);
        }
        if (committed.segment() > segments.lastKey()
                || committed.offset() > segments.getOrDefault(committed.segment(), 0L)) {
            committed = new Position(segments.lastKey(), segments.get(segments.lastKey()));
        }
        reading = committed;
        writingSegment = segments.lastKey();
        writing = FileChannel.open(segment(writingSegment), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        writing.position(segments.get(writingSegment));
    }

    private Path segment(long n) {
        return dir.resolve(String.format("%020d.seg", n));
    }

    /** Scans a segment; cuts a torn or corrupt tail; returns the size kept. */
    private long repair(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long pos = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (pos + HEADER <= size) {
                header.clear();
                ch.read(header, pos);
                int length = header.getInt(0);
                int crc = header.getInt(4);
                if (length < 0 || length > MAX_RECORD || pos + HEADER + length > size) {
                    break;
                }
                ByteBuffer body = ByteBuffer.allocate(length);
                ch.read(body, pos + HEADER);
                if (crc(body.array()) != crc) {
                    break;
                }
                pos += HEADER + length;
            }
            if (pos < size) {
                cut += size - pos;
                ch.truncate(pos);
                ch.force(true);
            }
            return pos;
        }
    }

    private static int crc(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        return (int) c.getValue();
    }

    /** Appends one record (made durable by the next {@link #sync}). */
    public void append(byte[] record) throws IOException {
        if (segments.get(writingSegment) >= SEGMENT_BYTES) {
            writing.force(true);
            writing.close();
            writingSegment++;
            segments.put(writingSegment, 0L);
            writing = FileChannel.open(segment(writingSegment), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER + record.length);
        b.putInt(record.length).putInt(crc(record)).put(record).flip();
        while (b.hasRemaining()) {
            writing.write(b);
        }
        segments.merge(writingSegment, (long) HEADER + record.length, Long::sum);
        enforceBound();
    }

    /** Makes every appended record durable. */
    public void sync() throws IOException {
        writing.force(false);
    }

    /** Deletes the oldest segments while the spool holds more than its bound, counting their records. */
    private void enforceBound() throws IOException {
        while (bytes() > maxBytes && segments.size() > 1) {
            long oldest = segments.firstKey();
            Position from = committed.segment() == oldest ? committed : new Position(oldest, 0);
            dropped += countRecords(oldest, from.offset());
            segments.remove(oldest);
            Files.deleteIfExists(segment(oldest));
            if (committed.segment() <= oldest) {
                committed = new Position(segments.firstKey(), 0);
                writeCursor();
            }
            if (reading.segment() <= oldest) {
                reading = committed;
            }
        }
    }

    private long countRecords(long seg, long from) throws IOException {
        long n = 0;
        try (FileChannel ch = FileChannel.open(segment(seg), StandardOpenOption.READ)) {
            long pos = from;
            long size = segments.get(seg);
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (pos + HEADER <= size) {
                header.clear();
                ch.read(header, pos);
                pos += HEADER + header.getInt(0);
                n++;
            }
        }
        return n;
    }

    /** Up to {@code max} records after those already read and not yet committed. */
    public List<Entry> read(int max) throws IOException {
        List<Entry> out = new ArrayList<>();
        Position p = reading;
        while (out.size() < max) {
            Long size = segments.get(p.segment());
            if (size == null) {
                break;
            }
            if (p.offset() + HEADER > size) {
                Long next = segments.higherKey(p.segment());
                if (next == null) {
                    break;
                }
                p = new Position(next, 0);
                continue;
            }
            try (FileChannel ch = FileChannel.open(segment(p.segment()), StandardOpenOption.READ)) {
                ByteBuffer header = ByteBuffer.allocate(HEADER);
                ch.read(header, p.offset());
                int length = header.getInt(0);
                ByteBuffer body = ByteBuffer.allocate(length);
                while (body.hasRemaining()) {
                    if (ch.read(body, p.offset() + HEADER + body.position()) < 0) {
                        throw new IOException("spool segment " + p.segment() + " ends inside a record");
                    }
                }
                p = new Position(p.segment(), p.offset() + HEADER + length);
                out.add(new Entry(body.array(), p));
            }
        }
        reading = p;
        return out;
    }

    /** Forgets what was read and not committed: the next read starts at the committed position again. */
    public void rewind() {
        reading = committed;
    }

    /** The destination accepted everything up to {@code upTo}: remove it for good. */
    public void commit(Position upTo) throws IOException {
        committed = upTo;
        writeCursor();
        while (segments.size() > 1 && segments.firstKey() < committed.segment()) {
            long old = segments.pollFirstEntry().getKey();
            Files.deleteIfExists(segment(old));
        }
    }

    private Position readCursor() throws IOException {
        Path f = dir.resolve("cursor");
        if (!Files.exists(f)) {
            return new Position(0, 0);
        }
        String[] parts = Files.readString(f, StandardCharsets.US_ASCII).strip().split(" ");
        try {
            return new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (RuntimeException e) {
            return new Position(0, 0); // an unreadable cursor: deliver from the oldest record again
        }
    }

    private void writeCursor() throws IOException {
        Path tmp = dir.resolve("cursor.tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(
                    (committed.segment() + " " + committed.offset() + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(tmp, dir.resolve("cursor"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Bytes on disk not yet committed (what waits for the destination). */
    public long pendingBytes() {
        long total = 0;
        for (var e : segments.tailMap(committed.segment(), true).entrySet()) {
            total += e.getValue() - (e.getKey() == committed.segment() ? committed.offset() : 0);
        }
        return total;
    }

    /** Whether records wait for the destination. */
    public boolean hasPending() {
        return pendingBytes() > 0;
    }

    private long bytes() {
        return segments.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Records deleted unsent because the spool was full. */
    public long dropped() {
        return dropped;
    }

    /** Bytes of torn or corrupt records cut when the spool was opened. */
    public long cutAtOpen() {
        return cut;
    }

    @Override
    public void close() throws IOException {
        writing.force(true);
        writing.close();
    }
}
