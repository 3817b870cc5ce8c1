package dev.mamori.sensor.kafka;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.sensor.alert.AlertJson;
import dev.mamori.sensor.alert.AlertOutput;
import dev.mamori.sensor.config.MamoriConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * {@code outputs.kafka}: each alert's JSON (as in the alert file) to the alerts topic, keyed by
 * {@code <rule id>|<entity>} (the source address, else the account, else the host), so one entity's
 * alerts of a rule stay in order on one partition. {@link #flush} returns only once the broker has
 * acknowledged every alert written since the last one, and throws otherwise, so the spool in front
 * keeps what was not taken.
 */
public final class KafkaAlertOutput implements AlertOutput {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final List<Future<RecordMetadata>> inFlight = new ArrayList<>();

    public KafkaAlertOutput(MamoriConfig.KafkaOutput settings, String instance) {
        this.producer = new KafkaProducer<>(KafkaClients.alerts(settings, instance));
        this.topic = settings.topic();
    }

    @Override
    public String name() {
        return "kafka";
    }

    static String key(Alert a) {
        Object entity = a.field(AlertField.SOURCE_IP);
        if (entity == null) {
            entity = a.field(AlertField.USER_NAME);
        }
        if (entity == null) {
            entity = a.field(AlertField.HOST_NAME);
        }
        return a.ruleId() + "|" + (entity == null ? "" : entity);
    }

    @Override
    public void write(Alert alert) throws IOException {
        try {
            inFlight.add(producer.send(new ProducerRecord<>(
                    topic,
                    key(alert).getBytes(StandardCharsets.UTF_8),
                    AlertJson.toJson(alert).getBytes(StandardCharsets.UTF_8))));
        } catch (KafkaException e) {
            throw new IOException("kafka: " + e.getMessage(), e);
        }
    }

    @Override
    public void flush() throws IOException {
        producer.flush();
        try {
            for (Future<RecordMetadata> f : inFlight) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IOException("kafka: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("kafka: interrupted", e);
        } finally {
            inFlight.clear();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
