package dev.mamori.sensor.kafka;

import dev.mamori.sensor.config.MamoriConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the state partitions of keyed partitions just gained, from their start to their last
 * committed record, and hands each rule's newest record to {@link PartitionStates}: the state the
 * previous holder committed together with the offsets this instance resumes from.
 */
final class StateRestore {

    private static final Duration LIMIT = Duration.ofMinutes(5);

    private final MamoriConfig.KafkaInput settings;
    private final String topic;

    StateRestore(MamoriConfig.KafkaInput settings, String topic) {
        this.settings = settings;
        this.topic = topic;
    }

    /** @return entries restored */
    int restore(Set<Integer> partitions, PartitionStates states) {
        List<TopicPartition> tps = new ArrayList<>();
        partitions.forEach(p -> tps.add(new TopicPartition(topic, p)));
        Map<Integer, Map<String, byte[]>> latest = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(KafkaClients.restorer(settings))) {
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (!caughtUp(c, end)) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("state of " + partitions + " not read within " + LIMIT);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && r.value() != null) {
                        latest.computeIfAbsent(r.partition(), p -> new HashMap<>())
                                .put(new String(r.key(), StandardCharsets.UTF_8), r.value());
                    }
                }
            }
        }
        states.forget(partitions);
        int n = 0;
        for (Map<String, byte[]> rules : latest.values()) {
            n += states.restore(rules);
        }
        return n;
    }

    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
