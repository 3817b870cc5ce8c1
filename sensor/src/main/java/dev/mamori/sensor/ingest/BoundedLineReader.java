package dev.mamori.sensor.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads lines (LF or CRLF) from a stream without ever holding more than {@code maxLineBytes} of one
 * line: a longer line is skipped to its end and counted, so one runaway line cannot exhaust memory.
 * Bytes are decoded as UTF-8 with malformed sequences replaced.
 */
public final class BoundedLineReader {

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] chunk = new byte[1 << 16];
    private int chunkPos;
    private int chunkLen;
    private byte[] line = new byte[1024];
    private long tooLong;

    public BoundedLineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line without its terminator, or null at the end of the stream. */
    public String next() throws IOException {
        int len = 0;
        boolean skipping = false;
        while (true) {
            if (chunkPos == chunkLen) {
                chunkLen = in.read(chunk);
                chunkPos = 0;
                if (chunkLen <= 0) {
                    chunkLen = 0;
                    if (skipping) {
                        return next();
                    }
                    return len == 0 ? null : decode(len);
                }
            }
            byte b = chunk[chunkPos++];
            if (b == '\n') {
                if (skipping) {
                    skipping = false;
                    len = 0;
                    continue;
                }
                return decode(len);
            }
            if (skipping) {
                continue;
            }
            if (len == maxLineBytes) {
                tooLong++;
                skipping = true;
                continue;
            }
            if (len == line.length) {
                line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
            }
            line[len++] = b;
        }
    }

    private String decode(int len) {
        int end = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
        return new String(line, 0, end, StandardCharsets.UTF_8);
    }

    /** Lines skipped because they were longer than the bound. */
    public long tooLong() {
        return tooLong;
    }
}
