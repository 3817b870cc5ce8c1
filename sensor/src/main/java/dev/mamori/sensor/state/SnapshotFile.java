package dev.mamori.sensor.state;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mamori.detectors.rule.Persistent;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One detection's state on disk: {@code <state_dir>/<rule id>.json} holding
 * {@code {"format": "mamori-state/<rule id>", "version": 1, "entries": [...]}}. Written to a
 * temporary file, fsynced and moved into place, so a crash leaves the old snapshot or the new one.
 * A file that is not a valid snapshot of this rule is refused with a log line and the detection
 * starts clean.
 *
 * @param <T> one entry (a record Jackson can read and write)
 */
public final class SnapshotFile<T> {

    private static final Logger log = LoggerFactory.getLogger(SnapshotFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int VERSION = 1;

    private final Path file;
    private final String format;
    private final JavaType type;
    private final Supplier<List<T>> snapshot;
    private final Consumer<List<T>> restore;

    public SnapshotFile(
            Path dir,
            String ruleId,
            TypeReference<List<T>> type,
            Supplier<List<T>> snapshot,
            Consumer<List<T>> restore) {
        this(dir, ruleId, JSON.getTypeFactory().constructType(type), snapshot, restore);
    }

    private SnapshotFile(
            Path dir, String ruleId, JavaType type, Supplier<List<T>> snapshot, Consumer<List<T>> restore) {
        this.file = dir.resolve(ruleId + ".json");
        this.format = "mamori-state/" + ruleId;
        this.type = type;
        this.snapshot = snapshot;
        this.restore = restore;
    }

    /** The snapshot file of a detection that keeps its state, entries typed as it declares. */
    public static <T> SnapshotFile<T> of(Path dir, String ruleId, Persistent<T> detection) {
        return new SnapshotFile<>(
                dir,
                ruleId,
                JSON.getTypeFactory().constructCollectionType(List.class, detection.entryType()),
                detection::snapshot,
                detection::restore);
    }

    public Path file() {
        return file;
    }

    public void save() {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                JSON.writeValue(
                        new KeepOpen(Channels.newOutputStream(ch)),
                        Map.of("format", format, "version", VERSION, "entries", snapshot.get()));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.error("state: cannot write {}: {}", file, e.toString());
        }
    }

    public void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null
                    || !format.equals(root.path("format").asText())
                    || root.path("version").asInt() != VERSION
                    || !root.path("entries").isArray()) {
                log.warn("state: refusing {}: not a version {} {} snapshot; starting clean", file, VERSION, format);
                return;
            }
            List<T> entries = JSON.convertValue(root.get("entries"), type);
            restore.accept(entries);
            log.info("state: {} entries restored from {}", entries.size(), file);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("state: refusing {}: {}; starting clean", file, e.getMessage());
        }
    }

    /** Lets Jackson close its generator without closing the channel before the fsync. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
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
