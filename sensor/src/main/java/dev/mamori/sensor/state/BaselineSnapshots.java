package dev.mamori.sensor.state;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mamori.detectors.windows.AdAuthSpike;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ad.auth_spike} baselines on disk: {@code <state_dir>/ad.auth_spike.json}, written to a
 * temporary file, fsynced and moved into place, so a crash leaves the old snapshot or the new one,
 * never half of one.
 */
public final class BaselineSnapshots {

    private static final Logger log = LoggerFactory.getLogger(BaselineSnapshots.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FILE = "ad.auth_spike.json";
    static final String FORMAT = "mamori-state/ad.auth_spike";
    static final int VERSION = 1;

    private BaselineSnapshots() {
    }

    public static void save(Path dir, AdAuthSpike spike) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(FILE + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                JSON.writeValue(new NonClosing(out), Map.of("format", FORMAT, "version", VERSION,
                        "baselines", spike.snapshot()));
                ch.force(true);
            }
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.error("state: cannot write {}: {}", dir.resolve(FILE), e.toString());
        }
    }

    /** Loads the snapshot if there is one; refuses (and logs) anything that is not a valid one of ours. */
    public static void load(Path dir, AdAuthSpike spike) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return;
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || !FORMAT.equals(root.path("format").asText()) || root.path("version").asInt() != VERSION
                    || !root.path("baselines").isArray()) {
                log.warn("state: refusing {}: not a version {} {} snapshot; ad.auth_spike starts with no baselines",
                        file, VERSION, FORMAT);
                return;
            }
            List<AdAuthSpike.Baseline> baselines = JSON.convertValue(root.get("baselines"),
                    new TypeReference<List<AdAuthSpike.Baseline>>() { });
            spike.restore(baselines);
            log.info("state: {} account baselines restored from {}", spike.trackedAccounts(), file);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("state: refusing {}: {}; ad.auth_spike starts with no baselines", file, e.getMessage());
        }
    }

    /** Lets Jackson close its generator without closing the channel before the fsync. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
