import dev.mamori.detectors.evtx.EvtxReader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Records per second of Mamori's EVTX reader over the given files, in one JVM after a warm-up
 * (what analyze does per record: Binary XML to a WindowsEvent with its XML text). Run by
 * bench/evtx-speed, which times evtxexport on the same files in the same run.
 */
public class EvtxSpeed {
    public static void main(String[] args) throws Exception {
        List<ByteBuffer> files = new ArrayList<>();
        for (String a : args) {
            files.add(ByteBuffer.wrap(Files.readAllBytes(Path.of(a))));
        }
        long[] sink = {0};
        for (int i = 0; i < 20; i++) { // warm-up: let the JIT compile the reader
            for (ByteBuffer f : files) {
                EvtxReader.read(f, e -> sink[0] += e.eventId());
            }
        }
        long records = 0;
        long start = System.nanoTime();
        long deadline = start + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (ByteBuffer f : files) {
                records += EvtxReader.read(f, e -> sink[0] += e.eventId()).records();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("mamori EvtxReader: %d records in %.2f s = %.0f records/s (checksum %d)%n",
                records, seconds, records / seconds, sink[0] % 7);
    }
}
