package dev.mamori.sensor.alert;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A JSON text being written as UTF-8 bytes into one growable array, reused from line to line. Only
 * what an alert line needs: quoted strings (RFC 8259 escapes), whole numbers, bytes already
 * encoded. A string is escaped the way Jackson escapes it ({@code \"}, {@code \\}, the short forms
 * of {@code \b \f \n \r \t}, a six-character hex escape for the other control characters,
 * everything else as its UTF-8 bytes), so lines read the same as before; a lone surrogate, which
 * has no UTF-8 form, is written as its hex escape and reads back as itself.
 */
final class JsonBytes {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private byte[] bytes;
    private int size;

    JsonBytes(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    void reset() {
        size = 0;
    }

    int size() {
        return size;
    }

    /** The bytes written so far are {@code array()[0, size())}; valid until the next write. */
    byte[] array() {
        return bytes;
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, size);
    }

    @Override
    public String toString() {
        return new String(bytes, 0, size, StandardCharsets.UTF_8);
    }

    void put(char ascii) {
        room(1);
        bytes[size++] = (byte) ascii;
    }

    void put(byte[] encoded) {
        room(encoded.length);
        System.arraycopy(encoded, 0, bytes, size, encoded.length);
        size += encoded.length;
    }

    /** {@code s} as a JSON string, quotes included. */
    void string(String s) {
        int n = s.length();
        // At most six bytes a char (an escape), two for the quotes: one check for the whole string.
        room(6 * n + 2);
        byte[] b = bytes;
        int at = size;
        b[at++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    b[at++] = (byte) c;
                } else {
                    at = escapeAscii(b, at, c);
                }
            } else if (c < 0x800) {
                b[at++] = (byte) (0xC0 | c >> 6);
                b[at++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[at++] = (byte) (0xF0 | cp >> 18);
                b[at++] = (byte) (0x80 | cp >> 12 & 0x3F);
                b[at++] = (byte) (0x80 | cp >> 6 & 0x3F);
                b[at++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                at = unicodeEscape(b, at, c);
            } else {
                b[at++] = (byte) (0xE0 | c >> 12);
                b[at++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[at++] = (byte) (0x80 | c & 0x3F);
            }
        }
        b[at++] = '"';
        size = at;
    }

    /** A whole number, as {@link Long#toString} writes it. */
    void number(long v) {
        room(20);
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                put(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
                return;
            }
            bytes[size++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long rest = v / 10; rest > 0; rest /= 10) {
            digits++;
        }
        for (int i = size + digits - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        size += digits;
    }

    /** Counts {@code n} bytes written straight into {@link #array()} (after {@link #room}). */
    void skip(int n) {
        size += n;
    }

    /** Room for {@code more} bytes after what is written. */
    void room(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    /** Writes at {@code at} and returns where the next byte goes. */
    private static int escapeAscii(byte[] b, int at, char c) {
        char shortForm = switch (c) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '\b' -> 'b';
            case '\f' -> 'f';
            case '\n' -> 'n';
            case '\r' -> 'r';
            case '\t' -> 't';
            default -> 0;
        };
        if (shortForm == 0) {
            return unicodeEscape(b, at, c);
        }
        b[at++] = '\\';
        b[at++] = (byte) shortForm;
        return at;
    }

    private static int unicodeEscape(byte[] b, int at, char c) {
        b[at++] = '\\';
        b[at++] = 'u';
        b[at++] = HEX[c >> 12 & 0xF];
        b[at++] = HEX[c >> 8 & 0xF];
        b[at++] = HEX[c >> 4 & 0xF];
        b[at++] = HEX[c & 0xF];
        return at;
    }
}
