package dev.mamori.detectors.evtx;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The values of the Binary XML value types, written as Windows writes them in event XML (Event
 * Viewer, {@code wevtutil qe /f:xml}, NXLog): decimal integers, {@code 0x}-prefixed lower-case hex
 * for the hex types, upper-case GUIDs in braces, binary as upper-case hex, times as ISO-8601 UTC
 * with seven fractional digits, SIDs as {@code S-1-...}. The same text a forwarder would have sent.
 */
final class Values {

    static final int NULL = 0x00;
    static final int STRING = 0x01;
    static final int ANSI_STRING = 0x02;
    static final int INT8 = 0x03;
    static final int UINT8 = 0x04;
    static final int INT16 = 0x05;
    static final int UINT16 = 0x06;
    static final int INT32 = 0x07;
    static final int UINT32 = 0x08;
    static final int INT64 = 0x09;
    static final int UINT64 = 0x0a;
    static final int REAL32 = 0x0b;
    static final int REAL64 = 0x0c;
    static final int BOOL = 0x0d;
    static final int BINARY = 0x0e;
    static final int GUID = 0x0f;
    static final int SIZE_T = 0x10;
    static final int FILETIME = 0x11;
    static final int SYSTEMTIME = 0x12;
    static final int SID = 0x13;
    static final int HEX_INT32 = 0x14;
    static final int HEX_INT64 = 0x15;
    static final int BINXML = 0x21;
    static final int ARRAY = 0x80;

    /** 100 ns intervals between 1601-01-01 and 1970-01-01. */
    private static final long FILETIME_EPOCH = 116_444_736_000_000_000L;

    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Values() {}

    /**
     * The text of one value of {@code type} in {@code size} bytes at {@code pos}; null for an
     * empty value. Arrays are joined with commas (string arrays with line feeds).
     */
    static String text(ByteBuffer b, int pos, int size, int type) throws EvtxFormatException {
        if (size < 0 || pos < 0 || pos + size > b.limit()) {
            throw new EvtxFormatException("value of " + size + " bytes outside the chunk");
        }
        if ((type & ARRAY) != 0) {
            return array(b, pos, size, type & 0x7f);
        }
        return switch (type) {
            case NULL -> null;
            case STRING -> utf16(b, pos, size / 2);
            case ANSI_STRING -> trimNul(new String(bytes(b, pos, size), StandardCharsets.ISO_8859_1));
            case INT8 -> fixed(size, 1) ? Integer.toString(b.get(pos)) : bad(type, size);
            case UINT8 -> fixed(size, 1) ? Integer.toString(b.get(pos) & 0xff) : bad(type, size);
            case INT16 -> fixed(size, 2) ? Integer.toString(b.getShort(pos)) : bad(type, size);
            case UINT16 -> fixed(size, 2) ? Integer.toString(b.getShort(pos) & 0xffff) : bad(type, size);
            case INT32 -> fixed(size, 4) ? Integer.toString(b.getInt(pos)) : bad(type, size);
            case UINT32 -> fixed(size, 4) ? Integer.toUnsignedString(b.getInt(pos)) : bad(type, size);
            case INT64 -> fixed(size, 8) ? Long.toString(b.getLong(pos)) : bad(type, size);
            case UINT64 -> fixed(size, 8) ? Long.toUnsignedString(b.getLong(pos)) : bad(type, size);
            case REAL32 -> fixed(size, 4) ? Float.toString(b.getFloat(pos)) : bad(type, size);
            case REAL64 -> fixed(size, 8) ? Double.toString(b.getDouble(pos)) : bad(type, size);
            case BOOL -> fixed(size, 4) ? (b.getInt(pos) != 0 ? "true" : "false") : bad(type, size);
            case BINARY -> hex(b, pos, size);
            case GUID -> fixed(size, 16) ? guid(b, pos) : bad(type, size);
            case SIZE_T ->
                size == 4
                        ? "0x" + Integer.toHexString(b.getInt(pos))
                        : fixed(size, 8) ? "0x" + Long.toHexString(b.getLong(pos)) : bad(type, size);
            case FILETIME -> fixed(size, 8) ? time(filetime(b.getLong(pos))) : bad(type, size);
            case SYSTEMTIME -> fixed(size, 16) ? systemtime(b, pos) : bad(type, size);
            case SID -> sid(b, pos, size);
            case HEX_INT32 -> fixed(size, 4) ? "0x" + Integer.toHexString(b.getInt(pos)) : bad(type, size);
            case HEX_INT64 -> fixed(size, 8) ? "0x" + Long.toHexString(b.getLong(pos)) : bad(type, size);
            default -> throw new EvtxFormatException("unknown value type 0x" + Integer.toHexString(type));
        };
    }

    private static boolean fixed(int size, int expected) {
        return size == expected;
    }

    private static String bad(int type, int size) throws EvtxFormatException {
        throw new EvtxFormatException("value type 0x" + Integer.toHexString(type) + " in " + size + " bytes");
    }

    private static String array(ByteBuffer b, int pos, int size, int type) throws EvtxFormatException {
        if (type == STRING) {
            return String.join("\n", items(b, pos, size, ARRAY | STRING));
        }
        int width = switch (type) {
            case INT8, UINT8 -> 1;
            case INT16, UINT16 -> 2;
            case INT32, UINT32, REAL32, BOOL, HEX_INT32 -> 4;
            case INT64, UINT64, REAL64, FILETIME, HEX_INT64, SIZE_T -> 8;
            case GUID, SYSTEMTIME -> 16;
            default -> throw new EvtxFormatException("array of value type 0x" + Integer.toHexString(type));
        };
        if (size % width != 0) {
            throw new EvtxFormatException("array of " + size + " bytes is not a multiple of " + width);
        }
        StringBuilder s = new StringBuilder();
        for (int p = pos; p < pos + size; p += width) {
            if (s.length() > 0) {
                s.append(',');
            }
            s.append(text(b, p, width, type));
        }
        return s.toString();
    }

    /**
     * The items of an array value, each as its text; Windows writes an array substituted into a
     * {@code <Data>} element as one element per item.
     */
    static List<String> items(ByteBuffer b, int pos, int size, int type) throws EvtxFormatException {
        if (size < 0 || pos < 0 || pos + size > b.limit()) {
            throw new EvtxFormatException("array of " + size + " bytes outside the chunk");
        }
        List<String> parts = new ArrayList<>();
        if ((type & 0x7f) == STRING) {
            // NUL-terminated UTF-16 strings one after the other
            int start = pos;
            int end = pos + size - size % 2;
            for (int p = pos; p < end; p += 2) {
                if (b.getShort(p) == 0) {
                    parts.add(utf16(b, start, (p - start) / 2));
                    start = p + 2;
                }
            }
            if (start < end) {
                parts.add(utf16(b, start, (end - start) / 2));
            }
            return parts;
        }
        for (String item : array(b, pos, size, type & 0x7f).split(",", -1)) {
            parts.add(item);
        }
        return parts;
    }

    /** {@code chars} UTF-16LE code units at {@code pos}, without trailing NULs. */
    static String utf16(ByteBuffer b, int pos, int chars) throws EvtxFormatException {
        if (chars < 0 || pos + 2L * chars > b.limit()) {
            throw new EvtxFormatException("string of " + chars + " characters outside the chunk");
        }
        char[] c = new char[chars];
        int n = 0;
        for (int i = 0; i < chars; i++) {
            c[n++] = b.getChar(pos + 2 * i);
        }
        while (n > 0 && c[n - 1] == 0) {
            n--;
        }
        return new String(c, 0, n);
    }

    private static String trimNul(String s) {
        int n = s.length();
        while (n > 0 && s.charAt(n - 1) == 0) {
            n--;
        }
        return s.substring(0, n);
    }

    private static byte[] bytes(ByteBuffer b, int pos, int size) {
        byte[] out = new byte[size];
        b.get(pos, out);
        return out;
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static String hex(ByteBuffer b, int pos, int size) {
        char[] out = new char[size * 2];
        for (int i = 0; i < size; i++) {
            int v = b.get(pos + i) & 0xff;
            out[2 * i] = HEX[v >>> 4];
            out[2 * i + 1] = HEX[v & 0xf];
        }
        return new String(out);
    }

    private static String guid(ByteBuffer b, int pos) {
        return String.format(
                Locale.ROOT,
                "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
                b.getInt(pos),
                b.getShort(pos + 4) & 0xffff,
                b.getShort(pos + 6) & 0xffff,
                b.get(pos + 8),
                b.get(pos + 9),
                b.get(pos + 10),
                b.get(pos + 11),
                b.get(pos + 12),
                b.get(pos + 13),
                b.get(pos + 14),
                b.get(pos + 15));
    }

    /** A FILETIME (100 ns since 1601) as an instant. */
    static Instant filetime(long ticks) {
        long since1970 = ticks - FILETIME_EPOCH;
        return Instant.ofEpochSecond(
                Math.floorDiv(since1970, 10_000_000L), Math.floorMod(since1970, 10_000_000L) * 100);
    }

    /** As Windows writes SystemTime: seven fractional digits and Z. */
    static String time(Instant t) {
        return SECONDS.format(t) + String.format(Locale.ROOT, ".%07dZ", t.getNano() / 100);
    }

    private static String systemtime(ByteBuffer b, int pos) throws EvtxFormatException {
        int year = b.getShort(pos) & 0xffff;
        int month = b.getShort(pos + 2);
        int day = b.getShort(pos + 6);
        int hour = b.getShort(pos + 8);
        int minute = b.getShort(pos + 10);
        int second = b.getShort(pos + 12);
        int millis = b.getShort(pos + 14);
        try {
            return time(LocalDateTime.of(year, month, day, hour, minute, second, millis * 1_000_000)
                    .toInstant(ZoneOffset.UTC));
        } catch (java.time.DateTimeException e) {
            throw new EvtxFormatException("SYSTEMTIME out of range: " + e.getMessage());
        }
    }

    private static String sid(ByteBuffer b, int pos, int size) throws EvtxFormatException {
        if (size < 8) {
            throw new EvtxFormatException("SID of " + size + " bytes");
        }
        int revision = b.get(pos) & 0xff;
        int count = b.get(pos + 1) & 0xff;
        if (size < 8 + 4 * count) {
            throw new EvtxFormatException("SID with " + count + " parts in " + size + " bytes");
        }
        long authority = 0;
        for (int i = 2; i < 8; i++) { // big-endian
            authority = (authority << 8) | (b.get(pos + i) & 0xff);
        }
        StringBuilder s = new StringBuilder("S-").append(revision).append('-').append(authority);
        for (int i = 0; i < count; i++) {
            s.append('-').append(Integer.toUnsignedString(b.getInt(pos + 8 + 4 * i)));
        }
        return s.toString();
    }
}
