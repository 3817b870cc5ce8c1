package dev.mamori.detectors.evtx;

import dev.mamori.detectors.windows.WindowsEvent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Reads Windows event log files (EVTX) natively, without Windows or native libraries: the file
 * header, each 64 KiB chunk with its CRCs, and each record's Binary XML through {@link BinXml},
 * handing every record on as a {@link WindowsEvent} exactly as the XML parser would have made it.
 *
 * <p>A chunk whose header is damaged (signature or header CRC) is skipped whole; in a chunk whose
 * record data fails its CRC, or anywhere, a record that cannot be read is skipped; each is counted
 * and named in the {@link Summary}, and the rest of the file is read. Memory is bounded by one
 * chunk's names and templates and one record's tree.
 */
public final class EvtxReader {

    /** "ElfFile\0": the first eight bytes of every EVTX file. */
    private static final byte[] FILE_SIGNATURE = "ElfFile\0".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] CHUNK_SIGNATURE = "ElfChnk\0".getBytes(StandardCharsets.US_ASCII);
    private static final int FILE_HEADER_SIZE = 4096;
    static final int CHUNK_SIZE = 65536;
    private static final int CHUNK_HEADER_SIZE = 512;
    private static final int RECORD_SIGNATURE = 0x00002a2a;
    private static final int MAX_PROBLEMS = 100;

    /**
     * What a file held: records read, chunks read, and what was skipped.
     *
     * @param problems a description of each skipped chunk or record (the first {@value #MAX_PROBLEMS})
     */
    public record Summary(
            long records,
            int chunks,
            int chunksSkipped,
            long recordsSkipped,
            int chunksCrcMismatch,
            List<String> problems) {

        public boolean damaged() {
            return chunksSkipped > 0 || recordsSkipped > 0 || chunksCrcMismatch > 0;
        }
    }

    /** Whether {@code head} (the first bytes of a file) is an EVTX file's, whatever the file is called. */
    public static boolean isEvtx(byte[] head) {
        if (head.length < FILE_SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < FILE_SIGNATURE.length; i++) {
            if (head[i] != FILE_SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    private EvtxReader() {}

    /**
     * Reads every record of the file in {@code file} (position 0 to limit) in file order.
     *
     * @throws EvtxException when it is not an EVTX file at all
     */
    public static Summary read(ByteBuffer file, Consumer<WindowsEvent> events) throws EvtxException {
        ByteBuffer f = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (f.limit() < FILE_HEADER_SIZE || !signature(f, 0, FILE_SIGNATURE)) {
            throw new EvtxException("not an EVTX file (no ElfFile signature)");
        }
        List<String> problems = new ArrayList<>();
        int headerCrc = f.getInt(124);
        if (crc(f, 0, 120) != headerCrc) {
            // the header only says where things are; the chunks carry the records and their own CRCs
            problem(problems, "file header CRC mismatch");
        }
        long records = 0;
        long recordsSkipped = 0;
        int chunks = 0;
        int chunksSkipped = 0;
        int crcMismatch = 0;
        for (long at = FILE_HEADER_SIZE; at + CHUNK_SIZE <= f.limit(); at += CHUNK_SIZE) {
            ByteBuffer chunk = f.slice((int) at, CHUNK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            int index = (int) ((at - FILE_HEADER_SIZE) / CHUNK_SIZE);
            if (!signature(chunk, 0, CHUNK_SIGNATURE)) {
                if (!allZero(chunk)) {
                    chunksSkipped++;
                    problem(problems, "chunk " + index + ": no ElfChnk signature");
                }
                continue; // a chunk never written is all zeros
            }
            int headerCrcExpected = chunk.getInt(124);
            CRC32 c = new CRC32();
            c.update(chunk.slice(0, 120));
            c.update(chunk.slice(128, CHUNK_HEADER_SIZE - 128));
            if ((int) c.getValue() != headerCrcExpected) {
                chunksSkipped++;
                problem(problems, "chunk " + index + ": header CRC mismatch");
                continue;
            }
            int free = chunk.getInt(48);
            if (free < CHUNK_HEADER_SIZE || free > CHUNK_SIZE) {
                chunksSkipped++;
                problem(problems, "chunk " + index + ": free space offset " + free + " outside the chunk");
                continue;
            }
            chunks++;
            if (crc(chunk, CHUNK_HEADER_SIZE, free - CHUNK_HEADER_SIZE) != chunk.getInt(52)) {
                // kept: records are checked one by one below, and a file copied while Windows was
                // writing it has a last chunk whose data CRC lags behind its records
                crcMismatch++;
                problem(problems, "chunk " + index + ": record data CRC mismatch; records checked one by one");
            }
            BinXml xml = new BinXml(chunk);
            int pos = CHUNK_HEADER_SIZE;
            while (pos + 28 <= free) {
                int size = chunk.getInt(pos + 4);
                if (chunk.getInt(pos) != RECORD_SIGNATURE
                        || size < 28
                        || pos + size > free
                        || chunk.getInt(pos + size - 4) != size) {
                    recordsSkipped++;
                    problem(
                            problems,
                            "chunk " + index + ": record at offset " + pos + " unreadable; rest of chunk skipped");
                    break; // without a trustworthy size there is no next record to find
                }
                long recordId = chunk.getLong(pos + 8);
                try {
                    List<XmlNode> tree = xml.record(pos + 24, pos + size - 4);
                    events.accept(EvtxEvents.event(tree, recordId, Values.filetime(chunk.getLong(pos + 16))));
                    records++;
                } catch (EvtxFormatException | RuntimeException e) {
                    // a record's Binary XML that cannot be read costs that record, not the file
                    recordsSkipped++;
                    problem(problems, "chunk " + index + ": record " + recordId + ": " + e.getMessage());
                }
                pos += size;
            }
        }
        return new Summary(records, chunks, chunksSkipped, recordsSkipped, crcMismatch, List.copyOf(problems));
    }

    private static void problem(List<String> problems, String p) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(p);
        }
    }

    private static boolean signature(ByteBuffer b, int at, byte[] sig) {
        for (int i = 0; i < sig.length; i++) {
            if (b.get(at + i) != sig[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean allZero(ByteBuffer b) {
        for (int i = 0; i < b.limit(); i++) {
            if (b.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static int crc(ByteBuffer b, int at, int length) {
        CRC32 c = new CRC32();
        c.update(b.slice(at, length));
        return (int) c.getValue();
    }
}
