package dev.mamori.sensor.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class KeyPartitionsTest {

    /**
     * The state's owner must be the partition Kafka's producer picks for a keyed record (the
     * producer's own code for it; KafkaProducer calls it when no partitioner is configured).
     */
    @Test
    void agreesWithTheProducersPartitionForAKey() {
        Random r = new Random(7);
        for (int partitions : new int[] {1, 4, 12, 37}) {
            for (int i = 0; i < 5000; i++) {
                String key = i % 2 == 0
                        ? "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256)
                        : "user" + r.nextInt(100_000) + (i % 3 == 0 ? "ä" : "");
                assertThat(KeyPartitions.of(key, partitions))
                        .as(key)
                        .isEqualTo(
                                BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions));
            }
        }
    }
}
