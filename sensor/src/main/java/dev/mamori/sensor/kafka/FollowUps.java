package dev.mamori.sensor.kafka;

import dev.mamori.detectors.proxy.MamoriLogLine;
import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.sensor.config.MamoriConfig;
import dev.mamori.sensor.ingest.RoutingKeys;
import dev.mamori.sensor.metrics.SensorMetrics;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests seen inline (ICAP) sent on to the instance that holds their client's state: each as a
 * {@code mamori} access-log line in the keyed partition of its client, marked with the
 * {@value #HEADER} header so that instance shows it only to the detections whose state it holds
 * ({@code Ingest.followUps()}). The inline verdict never waits for this: the event loop only offers
 * the request to a bounded queue (a full queue drops and counts), and a thread of its own writes.
 */
public final class FollowUps implements Consumer<ProxyEvent>, AutoCloseable {

    static final String HEADER = "mamori-follow-up";
    private static final Logger log = LoggerFactory.getLogger(FollowUps.class);

    private final BlockingQueue<ProxyEvent> queue = new ArrayBlockingQueue<>(10_000);
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final int partitions;
    private final Counter sent;
    private final Counter dropped;
    private final Thread thread;
    private volatile boolean running = true;

    public FollowUps(MamoriConfig.KafkaInput settings, SensorMetrics metrics) {
        this.producer = new KafkaProducer<>(KafkaClients.followUps(settings));
        this.topic = settings.group() + ".keyed";
        this.partitions = settings.partitions();
        this.sent = metrics.counter(
                "mamori.kafka.follow.ups", "Inline requests sent on to their key's partition", "result", "sent");
        this.dropped = metrics.counter(
                "mamori.kafka.follow.ups", "Inline requests sent on to their key's partition", "result", "dropped");
        this.thread = new Thread(this::run, "mamori-kafka-follow-ups");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Called on an event loop: never blocks. */
    @Override
    public void accept(ProxyEvent e) {
        String key = RoutingKeys.proxy(e);
        if (key == null || !running || !queue.offer(e)) {
            dropped.increment();
        }
    }

    private void run() {
        while (running || !queue.isEmpty()) {
            ProxyEvent e;
            try {
                e = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                break;
            }
            if (e == null) {
                continue;
            }
            String key = RoutingKeys.proxy(e);
            RecordHeaders headers = new RecordHeaders();
            headers.add(HEADER, new byte[] {'1'});
            try {
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                KeyPartitions.of(key, partitions),
                                null,
                                key.getBytes(StandardCharsets.UTF_8),
                                MamoriLogLine.format(e).getBytes(StandardCharsets.UTF_8),
                                headers),
                        (md, error) -> {
                            if (error == null) {
                                sent.increment();
                            } else {
                                dropped.increment();
                                log.warn("kafka: an inline request could not be sent on: {}", error.toString());
                            }
                        });
            } catch (RuntimeException error) {
                dropped.increment();
                log.warn("kafka: an inline request could not be sent on: {}", error.toString());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
