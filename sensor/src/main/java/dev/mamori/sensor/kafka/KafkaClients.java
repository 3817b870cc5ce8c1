package dev.mamori.sensor.kafka;

import dev.mamori.sensor.config.MamoriConfig;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The client settings of the Kafka input and output: the operator's {@code properties} first
 * (security, timeouts), then what Mamori's delivery guarantees depend on, which the configuration
 * refuses to let them change.
 */
final class KafkaClients {
    private KafkaClients() {}

    private static Properties common(List<String> servers, Map<String, String> extra, String clientId) {
        Properties p = new Properties();
        p.putAll(extra);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", servers));
        p.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return p;
    }

    /** The group member: read only committed transactions, commit offsets in them, never by itself. */
    static Properties consumer(MamoriConfig.KafkaInput in) {
        Properties p = reader(common(in.bootstrapServers(), in.properties(), "mamori-" + in.instance()));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, in.group());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(in.maxPollRecords()));
        p.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return p;
    }

    /** Reads a state partition from its start; no group. */
    static Properties restorer(MamoriConfig.KafkaInput in) {
        return reader(common(in.bootstrapServers(), in.properties(), "mamori-" + in.instance() + "-restore"));
    }

    private static Properties reader(Properties p) {
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /** Idempotent, acknowledged by every in-sync replica, bytes in and out. */
    private static Properties writer(Properties p) {
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /**
     * The transactional producer: re-keyed lines, state and consumed offsets are committed together
     * or not at all. The transactional id is the instance's, stable across its restarts, so a
     * restarted instance fences the transactions its dead predecessor left open.
     */
    static Properties transactional(MamoriConfig.KafkaInput in) {
        Properties p = writer(common(in.bootstrapServers(), in.properties(), "mamori-" + in.instance()));
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "mamori-" + in.group() + "-" + in.instance());
        p.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "60000");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 << 10));
        p.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(16 << 20));
        return p;
    }

    /** The alert output's producer: idempotent, acknowledged by every in-sync replica. */
    static Properties alerts(MamoriConfig.KafkaOutput out, String instance) {
        Properties p = writer(common(out.bootstrapServers(), out.properties(), "mamori-" + instance + "-alerts"));
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return p;
    }

    /** Inline requests sent on to the keyed topic: idempotent, outside the input's transactions. */
    static Properties followUps(MamoriConfig.KafkaInput in) {
        Properties p =
                writer(common(in.bootstrapServers(), in.properties(), "mamori-" + in.instance() + "-follow-ups"));
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        return p;
    }

    /** For creating the internal topics. */
    static Properties admin(MamoriConfig.KafkaInput in) {
        return common(in.bootstrapServers(), in.properties(), "mamori-" + in.instance() + "-admin");
    }
}
