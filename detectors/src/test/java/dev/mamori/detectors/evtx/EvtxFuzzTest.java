package dev.mamori.detectors.evtx;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Coverage-guided fuzzing of the EVTX reader (docs/robustness.md). The input is one chunk; the
 * harness puts a file header before it and, unless the input asks otherwise with a first byte of
 * 0xFF, writes the chunk's signature and CRCs itself, so that mutations reach the records and their
 * Binary XML instead of stopping at a checksum.
 */
class EvtxFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void evtxChunks(byte[] data) throws Exception {
        boolean raw = data.length > 0 && data[0] == (byte) 0xFF;
        ByteBuffer file = ByteBuffer.allocate(4096 + EvtxReader.CHUNK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        file.put(0, "ElfFile\0".getBytes(StandardCharsets.US_ASCII));
        file.put(4096, data, 0, Math.min(data.length, EvtxReader.CHUNK_SIZE));
        ByteBuffer chunk = file.slice(4096, EvtxReader.CHUNK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        if (!raw) {
            chunk.put(0, "ElfChnk\0".getBytes(StandardCharsets.US_ASCII));
            int free = Math.floorMod(chunk.getInt(48), EvtxReader.CHUNK_SIZE - 512) + 512;
            chunk.putInt(48, free);
            chunk.putInt(52, crc(chunk, 512, free - 512));
            CRC32 h = new CRC32();
            h.update(chunk.slice(0, 120));
            h.update(chunk.slice(128, 384));
            chunk.putInt(124, (int) h.getValue());
        }
        long[] events = {0};
        EvtxReader.Summary s = EvtxReader.read(file, e -> {
            assertThat(e.eventId()).isNotNegative();
            events[0]++;
        });
        assertThat(s.records()).isEqualTo(events[0]);
    }

    private static int crc(ByteBuffer b, int at, int length) {
        CRC32 c = new CRC32();
        c.update(b.slice(at, length));
        return (int) c.getValue();
    }
}
