package dev.mamori.sensor.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mamori.detectors.rule.Persistent;
import dev.mamori.sensor.ingest.Ingest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of the detections that keep it ({@link Persistent}), cut by keyed partition: what a
 * partition's keys have learned is one record per rule in partition {@code p} of the compacted state
 * topic, keyed by the rule id, in the same form as a state file ({@code format}, {@code version},
 * {@code entries}). The newest record of each rule is the partition's state as of the offsets
 * committed with it.
 */
final class PartitionStates {

    private static final Logger log = LoggerFactory.getLogger(PartitionStates.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int VERSION = 1;

    private final List<Ingest.Kept> kept;
    private final int partitions;

    PartitionStates(List<Ingest.Kept> kept, int partitions) {
        this.kept = List.copyOf(kept);
        this.partitions = partitions;
    }

    private Predicate<String> of(int p) {
        return key -> key != null && KeyPartitions.of(key, partitions) == p;
    }

    private Predicate<String> ofAny(Set<Integer> ps) {
        return key -> key != null && ps.contains(KeyPartitions.of(key, partitions));
    }

    /** One record per rule with the entries of partition {@code p}'s keys. */
    List<ProducerRecord<byte[], byte[]>> snapshot(String topic, int p) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(kept.size());
        for (Ingest.Kept k : kept) {
            byte[] value;
            try {
                value = JSON.writeValueAsBytes(Map.of(
                        "format",
                        "mamori-state/" + k.ruleId(),
                        "version",
                        VERSION,
                        "entries",
                        k.detection().snapshot(of(p))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.add(new ProducerRecord<>(topic, p, k.ruleId().getBytes(StandardCharsets.UTF_8), value));
        }
        return out;
    }

    /** Drops what is held for the keys of {@code ps} (partitions this instance no longer holds). */
    void forget(Set<Integer> ps) {
        if (ps.isEmpty()) {
            return;
        }
        Predicate<String> gone = ofAny(ps);
        for (Ingest.Kept k : kept) {
            k.detection().forget(gone);
        }
    }

    /**
     * Puts back the newest state record of each rule of one partition.
     *
     * @param latest rule id to record value
     * @return entries restored
     */
    int restore(Map<String, byte[]> latest) {
        int n = 0;
        for (Ingest.Kept k : kept) {
            byte[] value = latest.get(k.ruleId());
            if (value != null) {
                n += restore(k, value);
            }
        }
        return n;
    }

    private static int restore(Ingest.Kept k, byte[] value) {
        try {
            JsonNode root = JSON.readTree(value);
            if (root == null
                    || !("mamori-state/" + k.ruleId())
                            .equals(root.path("format").asText())
                    || root.path("version").asInt() != VERSION
                    || !root.path("entries").isArray()) {
                log.warn(
                        "kafka: state of {} is not a version {} snapshot; that rule starts clean", k.ruleId(), VERSION);
                return 0;
            }
            return restoreTyped(k.detection(), root.get("entries"));
        } catch (IOException | IllegalArgumentException e) {
            log.warn("kafka: state of {} unreadable ({}); that rule starts clean", k.ruleId(), e.getMessage());
            return 0;
        }
    }

    private static <S> int restoreTyped(Persistent<S> d, JsonNode entries) {
        List<S> list =
                JSON.convertValue(entries, JSON.getTypeFactory().constructCollectionType(List.class, d.entryType()));
        d.restore(list);
        return list.size();
    }
}
