package dev.mamori.sensor.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partition a routing key lands in: Kafka's own rule for keyed records (murmur2 of the key's
 * bytes, made positive, modulo the partition count), so the producer's choice and the state's owner
 * agree, and so relays that partition like Java (rsyslog omkafka with {@code murmur2_random}) do too.
 */
public final class KeyPartitions {
    private KeyPartitions() {}

    public static int of(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
