package dev.mamori.detectors.evtx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes small EVTX files for tests, the way Windows lays them out: a file header, chunks with
 * their CRCs, and records whose Binary XML is one template (defined inline in the chunk's first
 * record, referred to by offset afterwards) instantiated with each record's values. Enough of the
 * format to test the reader without anyone's log files.
 */
final class EvtxWriter {

    /** One event: the values of the template's substitutions. */
    record Event(int eventId, String channel, String computer, Instant time, String user, String ip) {}

    private final List<List<Event>> chunks = new ArrayList<>();

    EvtxWriter chunk(Event... events) {
        chunks.add(List.of(events));
        return this;
    }

    byte[] bytes() {
        ByteBuffer file = ByteBuffer.allocate(4096 + 65536 * chunks.size()).order(ByteOrder.LITTLE_ENDIAN);
        file.put("ElfFile\0".getBytes(StandardCharsets.US_ASCII));
        file.putLong(8, 0);
        file.putLong(16, chunks.size() - 1);
        file.putInt(32, 128);
        file.putShort(36, (short) 1);
        file.putShort(38, (short) 3);
        file.putShort(40, (short) 4096);
        file.putShort(42, (short) chunks.size());
        file.putInt(124, crc(file, 0, 120));
        long recordId = 1;
        for (int c = 0; c < chunks.size(); c++) {
            ByteBuffer chunk = file.slice(4096 + 65536 * c, 65536).order(ByteOrder.LITTLE_ENDIAN);
            int pos = 512;
            int templateOffset = -1;
            long first = recordId;
            int last = pos;
            for (Event e : chunks.get(c)) {
                last = pos;
                byte[] xml = recordXml(e, pos + 24, templateOffset);
                if (templateOffset < 0) {
                    templateOffset = pos + 24 + 4 + 10; // fragment header, then the instance token
                }
                int size = 24 + xml.length + 4;
                chunk.putInt(pos, 0x00002a2a);
                chunk.putInt(pos + 4, size);
                chunk.putLong(pos + 8, recordId++);
                chunk.putLong(pos + 16, filetime(e.time()));
                chunk.put(pos + 24, xml);
                chunk.putInt(pos + size - 4, size);
                pos += size;
            }
            chunk.put(0, "ElfChnk\0".getBytes(StandardCharsets.US_ASCII));
            chunk.putLong(8, first);
            chunk.putLong(16, recordId - 1);
            chunk.putLong(24, first);
            chunk.putLong(32, recordId - 1);
            chunk.putInt(40, 128);
            chunk.putInt(44, last);
            chunk.putInt(48, pos);
            chunk.putInt(52, crc(chunk, 512, pos - 512));
            CRC32 h = new CRC32();
            h.update(chunk.slice(0, 120));
            h.update(chunk.slice(128, 384));
            chunk.putInt(124, (int) h.getValue());
        }
        return file.array();
    }

    /** Fragment header, template instance (definition inline when {@code template} is -1), values, end. */
    private static byte[] recordXml(Event e, int at, int template) {
        Out o = new Out(at);
        o.u8(0x0f).u8(1).u8(1).u8(0);
        o.u8(0x0c).u8(1).i32(0x1234);
        if (template < 0) {
            int definition = o.pos() + 4;
            o.i32(definition);
            o.i32(0); // next template
            o.bytes(new byte[16]); // GUID
            int sizeAt = o.size();
            o.i32(0);
            int bodyStart = o.size();
            o.u8(0x0f).u8(1).u8(1).u8(0);
            o.open("Event", false);
            o.u8(0x02);
            o.open("System", false);
            o.u8(0x02);
            o.open("Provider", true);
            o.attribute("Name").u8(0x05).u8(0x01).text("Microsoft-Windows-Security-Auditing");
            o.u8(0x03);
            o.open("EventID", false).u8(0x02).substitution(0, 0x06).u8(0x04);
            o.open("TimeCreated", true);
            o.attribute("SystemTime").substitution(1, 0x11);
            o.u8(0x03);
            o.open("Channel", false).u8(0x02).substitution(2, 0x01).u8(0x04);
            o.open("Computer", false).u8(0x02).substitution(3, 0x01).u8(0x04);
            o.u8(0x04); // </System>
            o.open("EventData", false);
            o.u8(0x02);
            o.open("Data", true);
            o.attribute("Name").u8(0x05).u8(0x01).text("TargetUserName");
            o.u8(0x02).substitution(4, 0x01).u8(0x04);
            o.open("Data", true);
            o.attribute("Name").u8(0x05).u8(0x01).text("IpAddress");
            o.u8(0x02).optionalSubstitution(5, 0x01).u8(0x04);
            o.u8(0x04); // </EventData>
            o.u8(0x04); // </Event>
            o.u8(0x00);
            o.patchInt(sizeAt, o.size() - bodyStart);
        } else {
            o.i32(template);
        }
        byte[][] values = {
            le16((short) e.eventId()),
            le64(filetime(e.time())),
            utf16(e.channel()),
            utf16(e.computer()),
            utf16(e.user()),
            e.ip() == null ? new byte[0] : utf16(e.ip())
        };
        int[] types = {0x06, 0x11, 0x01, 0x01, 0x01, e.ip() == null ? 0x00 : 0x01};
        o.i32(values.length);
        for (int i = 0; i < values.length; i++) {
            o.u16(values[i].length).u8(types[i]).u8(0);
        }
        for (byte[] v : values) {
            o.bytes(v);
        }
        o.u8(0x00);
        return o.toByteArray();
    }

    static long filetime(Instant t) {
        return (t.getEpochSecond() * 10_000_000L + t.getNano() / 100) + 116_444_736_000_000_000L;
    }

    private static byte[] le16(short v) {
        return ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(v).array();
    }

    private static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static byte[] utf16(String s) {
        return s.getBytes(StandardCharsets.UTF_16LE);
    }

    static int crc(ByteBuffer b, int at, int length) {
        CRC32 c = new CRC32();
        c.update(b.slice(at, length));
        return (int) c.getValue();
    }

    /** Little-endian output that knows its offset in the chunk, for inline names. */
    private static final class Out {
        private final ByteArrayOutputStream b = new ByteArrayOutputStream();
        private final int base;

        Out(int base) {
            this.base = base;
        }

        int pos() {
            return base + b.size();
        }

        int size() {
            return b.size();
        }

        Out u8(int v) {
            b.write(v);
            return this;
        }

        Out u16(int v) {
            return u8(v & 0xff).u8((v >>> 8) & 0xff);
        }

        Out i32(int v) {
            return u16(v & 0xffff).u16(v >>> 16);
        }

        Out bytes(byte[] v) {
            b.writeBytes(v);
            return this;
        }

        Out text(String s) {
            u16(s.length());
            return bytes(utf16(s));
        }

        /** An inline name: next offset, hash, length, characters, NUL. */
        Out name(String s) {
            i32(0).u16(0).u16(s.length()).bytes(utf16(s)).u16(0);
            return this;
        }

        Out open(String name, boolean attributes) {
            u8(attributes ? 0x41 : 0x01).u16(0).i32(0);
            i32(pos() + 4);
            name(name);
            if (attributes) {
                i32(0);
            }
            return this;
        }

        Out attribute(String name) {
            u8(0x06);
            i32(pos() + 4);
            return name(name);
        }

        Out substitution(int index, int type) {
            return u8(0x0d).u16(index).u8(type);
        }

        Out optionalSubstitution(int index, int type) {
            return u8(0x0e).u16(index).u8(type);
        }

        void patchInt(int at, int v) {
            byte[] a = b.toByteArray();
            ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
            b.reset();
            b.writeBytes(a);
        }

        byte[] toByteArray() {
            return b.toByteArray();
        }
    }
}
