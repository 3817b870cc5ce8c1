package dev.mamori.sensor.kafka;

import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.state.Ownership;
import dev.mamori.protocols.syslog.SyslogMessage;
import dev.mamori.protocols.syslog.SyslogParser;
import dev.mamori.sensor.alert.AlertPipeline;
import dev.mamori.sensor.config.MamoriConfig;
import dev.mamori.sensor.ingest.Ingest;
import dev.mamori.sensor.ingest.LineRouter;
import dev.mamori.sensor.ingest.LogRecord;
import dev.mamori.sensor.metrics.SensorMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka input. One thread runs one consumer (a member of {@code inputs.kafka.group}) and one
 * transactional producer, in two stages over the same poll loop:
 *
 * <ol>
 *   <li>a record of a log topic is parsed only for its routing key and written, unchanged, to the
 *       {@code <group>.keyed} partition of that key;
 *   <li>a record of the keyed topic goes through the formats and detections like a syslog line.
 * </ol>
 *
 * <p>Every {@code commit_interval} it waits until the outputs have written the alerts raised so far,
 * then commits in one transaction: the re-keyed records, the state of each keyed partition that saw
 * records ({@link PartitionStates}) and the consumed offsets. A crash therefore replays from a point
 * where state and offsets agree, and an alert is lost by no crash (at least once; repeats within
 * {@code alerts.dedupe_window} are folded). A keyed partition this instance gains has its state
 * restored before its first record is processed; one it gives up is committed, then forgotten.
 */
public final class KafkaIntake implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaIntake.class);
    /** How long a commit waits for the outputs before trying again on the next interval. */
    private static final Duration OUTPUT_WAIT = Duration.ofSeconds(10);
    /** Below the state topic's max.message.bytes and the producer's max.request.size (16 MiB). */
    static final int MAX_STATE_RECORD = (16 << 20) - (64 << 10);
    /** Records longer than this are dropped and counted; the keyed topic takes them (1 MiB messages). */
    static final int MAX_LINE = 1 << 20;

    private final MamoriConfig.KafkaInput settings;
    private final LineRouter router;
    private final PartitionStates states;
    private final AlertPipeline pipeline;
    private final SyslogParser syslog;
    private final SensorMetrics metrics;
    private final String keyedTopic;
    private final String stateTopic;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile List<String> assignment = List.of();
    /** Records consumed and not yet committed. */
    private final AtomicLong uncommitted = new AtomicLong();

    private final Counter consumedLogs;
    private final Counter consumedKeyed;
    private final Counter rebalances;
    private final Counter commits;
    private final Counter failures;
    private final Timer restoreTime;
    private final Counter stateTooLarge;
    private final Counter oversize;
    private final Map<TopicPartition, AtomicLong> lag = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Meter> lagMeters = new ConcurrentHashMap<>();

    // Loop thread only.
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private final Set<Integer> dirty = new HashSet<>();
    private final Set<Integer> owned = new HashSet<>();
    private boolean broken;
    private boolean lost;
    private long lastCommit;
    private long lastOversizeLog;

    public KafkaIntake(
            MamoriConfig.KafkaInput settings,
            LineRouter router,
            List<Ingest.Kept> persistent,
            AlertPipeline pipeline,
            SyslogParser syslog,
            SensorMetrics metrics) {
        this.settings = settings;
        this.router = router;
        this.states = new PartitionStates(persistent, settings.partitions());
        this.pipeline = pipeline;
        this.syslog = syslog;
        this.metrics = metrics;
        this.keyedTopic = settings.group() + ".keyed";
        this.stateTopic = settings.group() + ".state";
        this.consumedLogs = metrics.kafkaConsumed("logs");
        this.consumedKeyed = metrics.kafkaConsumed("keyed");
        this.rebalances = metrics.counter("mamori.kafka.rebalances", "Partition assignments this instance received");
        this.commits = metrics.counter(
                "mamori.kafka.commits", "Transactions committing offsets, re-keyed records and partition state");
        this.failures = metrics.counter(
                "mamori.kafka.failures", "Kafka sessions ended by an error (then restarted from the last commit)");
        this.oversize = metrics.eventsDropped("kafka", "oversize");
        this.stateTooLarge = metrics.counter(
                "mamori.kafka.state.too.large",
                "Partition state records over 16 MiB, not committed (that rule's state does not move)");
        this.restoreTime = metrics.timer(
                "mamori.kafka.restore", "Time to restore the state of partitions gained, before processing them");
        metrics.gauge(
                "mamori.kafka.assigned.partitions",
                "Keyed partitions this instance holds",
                () -> assignment.stream()
                        .filter(s -> s.startsWith(keyedTopic + "-"))
                        .count());
        metrics.gauge(
                "mamori.kafka.uncommitted.records",
                "Records consumed whose offsets are not committed yet (replayed after a crash)",
                uncommitted::get);
        this.thread = new Thread(this::run, "mamori-kafka");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
        log.info(
                "kafka: consuming {} as group {} (instance {}) from {}",
                settings.topics(),
                settings.group(),
                settings.instance(),
                String.join(",", settings.bootstrapServers()));
    }

    /** The partitions held now, {@code topic-partition}, for {@code /health}. */
    public List<String> assignment() {
        return assignment;
    }

    private void run() {
        long backoff = 1000;
        while (running) {
            try {
                session();
                backoff = 1000;
            } catch (WakeupException e) {
                // close() woke the poll
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                failures.increment();
                log.error("kafka: {}; starting again from the last commit in {} ms", e.toString(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    break;
                }
                backoff = Math.min(backoff * 2, 30_000);
            } finally {
                reset();
            }
        }
    }

    private void session() throws InterruptedException {
        new InternalTopics(settings).ensure();
        broken = false;
        lost = false;
        producer = new KafkaProducer<>(KafkaClients.transactional(settings));
        producer.initTransactions();
        consumer = new KafkaConsumer<>(KafkaClients.consumer(settings));
        List<String> topics = new ArrayList<>(settings.topics());
        topics.add(keyedTopic);
        consumer.subscribe(topics, new Rebalance());
        producer.beginTransaction();
        lastCommit = System.nanoTime();
        long interval = settings.commitInterval().toNanos();
        while (running) {
            ConsumerRecords<byte[], byte[]> records;
            try {
                records = consumer.poll(Duration.ofMillis(200));
            } catch (WakeupException e) {
                break; // close(): commit what was consumed below
            }
            if (lost) {
                throw new KafkaException("partitions lost (this member was dropped from the group)");
            }
            for (TopicPartition tp : records.partitions()) {
                List<ConsumerRecord<byte[], byte[]>> batch = records.records(tp);
                boolean keyed = tp.topic().equals(keyedTopic);
                if (keyed) {
                    dirty.add(tp.partition());
                    // state under a key of another partition is changed by the copy sent there
                    int here = tp.partition();
                    Ownership.set(k -> KeyPartitions.of(k, settings.partitions()) == here);
                }
                try {
                    for (ConsumerRecord<byte[], byte[]> r : batch) {
                        if (keyed) {
                            inspect(r);
                        } else {
                            rekey(r);
                        }
                    }
                } finally {
                    Ownership.clear();
                }
                pending.put(
                        tp, new OffsetAndMetadata(batch.get(batch.size() - 1).offset() + 1));
                uncommitted.addAndGet(batch.size());
            }
            if (System.nanoTime() - lastCommit >= interval) {
                checkpoint();
                updateLag();
            }
        }
        checkpoint();
    }

    /**
     * Stage 1: the line to the keyed partition of its routing key, as it came; and, when its event
     * feeds state under a second key held in another partition, a copy there marked as a follow-up
     * (shown only to the detections with state under more than one key).
     */
    private void rekey(ConsumerRecord<byte[], byte[]> r) {
        consumedLogs.increment();
        if (r.value() == null || r.value().length == 0) {
            return;
        }
        if (r.value().length > MAX_LINE) {
            // no log line is this long; copied on, it would fail every commit of the group
            oversize.increment();
            long now = System.nanoTime();
            if (now - lastOversizeLog > TimeUnit.SECONDS.toNanos(1)) { // a flood must not flood the log
                lastOversizeLog = now;
                log.warn(
                        "kafka: a record of {}-{} at offset {} is {} bytes, over {}: not inspected (counted in"
                                + " mamori_events_dropped_total{input=\"kafka\",reason=\"oversize\"})",
                        r.topic(),
                        r.partition(),
                        r.offset(),
                        r.value().length,
                        MAX_LINE);
            }
            return;
        }
        List<String> keys = router.routingKeys(record(r));
        if (keys.isEmpty()) {
            producer.send(new ProducerRecord<>(keyedTopic, null, r.timestamp(), r.key(), r.value()));
            return;
        }
        int first = KeyPartitions.of(keys.get(0), settings.partitions());
        producer.send(new ProducerRecord<>(
                keyedTopic, first, r.timestamp(), keys.get(0).getBytes(StandardCharsets.UTF_8), r.value()));
        for (int i = 1; i < keys.size(); i++) {
            int p = KeyPartitions.of(keys.get(i), settings.partitions());
            if (p != first) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(FollowUps.HEADER, new byte[] {'1'});
                producer.send(new ProducerRecord<>(
                        keyedTopic,
                        p,
                        r.timestamp(),
                        keys.get(i).getBytes(StandardCharsets.UTF_8),
                        r.value(),
                        headers));
            }
        }
    }

    /** Stage 2: formats and detections, as for a syslog line. */
    private void inspect(ConsumerRecord<byte[], byte[]> r) {
        consumedKeyed.increment();
        if (r.value() == null || r.value().length == 0) {
            return;
        }
        router.route(record(r));
    }

    /**
     * A record's value as a log line: a syslog frame (RFC 5424 or 3164), or a bare line or JSON event;
     * a request another instance inspected inline is marked as a follow-up ({@link FollowUps}).
     */
    private LogRecord record(ConsumerRecord<byte[], byte[]> r) {
        SyslogMessage m = syslog.parse(new String(r.value(), StandardCharsets.UTF_8), null);
        boolean followUp = r.headers().lastHeader(FollowUps.HEADER) != null;
        return new LogRecord(m.message(), m.hostname(), m.timestamp(), ObserverInput.SYSLOG, null, followUp);
    }

    /**
     * Commits what was consumed since the last commit, once the outputs have written the alerts it
     * raised; the state of every keyed partition that saw records goes in the same transaction.
     *
     * @return false when nothing could be committed yet (the outputs are behind)
     */
    private boolean checkpoint() throws InterruptedException {
        lastCommit = System.nanoTime();
        if (pending.isEmpty()) {
            return true;
        }
        if (!pipeline.awaitWritten(OUTPUT_WAIT)) {
            log.warn("kafka: the outputs have not yet written the alerts of the last records; the commit waits");
            return false;
        }
        for (int p : dirty) {
            if (owned.contains(p)) {
                for (ProducerRecord<byte[], byte[]> r : states.snapshot(stateTopic, p)) {
                    if (r.value().length > MAX_STATE_RECORD) {
                        // A record the broker refuses would fail every commit from now on.
                        stateTooLarge.increment();
                        log.error(
                                "kafka: state of {} in partition {} is {} bytes, over {}: not committed, an"
                                        + " instance taking the partition over starts that rule clean; use more"
                                        + " partitions or fewer keys (sensor.max_tracked_keys)",
                                new String(r.key(), StandardCharsets.UTF_8),
                                p,
                                r.value().length,
                                MAX_STATE_RECORD);
                        continue;
                    }
                    producer.send(r);
                }
            }
        }
        producer.sendOffsetsToTransaction(pending, consumer.groupMetadata());
        producer.commitTransaction();
        commits.increment();
        uncommitted.set(0);
        pending.clear();
        dirty.clear();
        producer.beginTransaction();
        return true;
    }

    private void updateLag() {
        for (TopicPartition tp : consumer.assignment()) {
            consumer.currentLag(tp)
                    .ifPresent(l -> lag.computeIfAbsent(tp, this::lagGauge).set(l));
        }
    }

    private AtomicLong lagGauge(TopicPartition tp) {
        AtomicLong value = new AtomicLong();
        lagMeters.put(
                tp,
                metrics
                        .registry()
                        .find("mamori.kafka.lag")
                        .tags("topic", tp.topic(), "partition", String.valueOf(tp.partition()))
                        .meters()
                        .stream()
                        .findFirst()
                        .orElseGet(() -> io.micrometer.core.instrument.Gauge.builder(
                                        "mamori.kafka.lag", value, AtomicLong::get)
                                .description("Records of a partition not yet consumed")
                                .tags("topic", tp.topic(), "partition", String.valueOf(tp.partition()))
                                .register(metrics.registry())));
        return value;
    }

    private void dropLag(Collection<TopicPartition> parts) {
        for (TopicPartition tp : parts) {
            lag.remove(tp);
            Meter m = lagMeters.remove(tp);
            if (m != null) {
                metrics.registry().remove(m);
            }
        }
    }

    private Set<Integer> keyed(Collection<TopicPartition> parts) {
        Set<Integer> out = new TreeSet<>();
        for (TopicPartition tp : parts) {
            if (tp.topic().equals(keyedTopic)) {
                out.add(tp.partition());
            }
        }
        return out;
    }

    private void publishAssignment() {
        List<String> now = new ArrayList<>();
        if (consumer != null) {
            consumer.assignment().forEach(tp -> now.add(tp.topic() + "-" + tp.partition()));
        }
        now.sort(null);
        assignment = List.copyOf(now);
    }

    /** After an error or at the end: the open transaction aborted, the clients closed, held state forgotten. */
    private void reset() {
        broken = true;
        if (producer != null) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException ignored) {
                // fenced or never begun: nothing to abort
            }
        }
        if (consumer != null) {
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                log.debug("kafka: consumer close: {}", e.toString());
            }
        }
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.debug("kafka: producer close: {}", e.toString());
            }
        }
        consumer = null;
        producer = null;
        states.forget(new HashSet<>(owned));
        owned.clear();
        pending.clear();
        uncommitted.set(0);
        dirty.clear();
        dropLag(new ArrayList<>(lag.keySet()));
        assignment = List.of();
    }

    /** Stops consuming: the last records' alerts are written and committed, the clients closed. */
    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs inside poll, on the loop thread. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> parts) {
            if (parts.isEmpty()) {
                return;
            }
            if (!broken) {
                boolean committed;
                try {
                    committed = checkpoint();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    committed = false;
                }
                if (!committed) {
                    // The open transaction holds re-keyed copies of records whose offsets go with the
                    // partitions given up: committing it later would duplicate them. Start over.
                    throw new KafkaException("partitions given up before their records could be committed");
                }
            }
            Set<Integer> gone = keyed(parts);
            owned.removeAll(gone);
            states.forget(gone);
            pending.keySet().removeAll(parts);
            dropLag(parts);
            publishAssignment();
            log.info("kafka: gave up {}", parts);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> parts) {
            lost = !parts.isEmpty();
            Set<Integer> gone = keyed(parts);
            owned.removeAll(gone);
            states.forget(gone);
            dropLag(parts);
            publishAssignment();
            log.warn("kafka: lost {} (no longer a member in time)", parts);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> parts) {
            rebalances.increment();
            Set<Integer> gained = keyed(parts);
            if (!gained.isEmpty()) {
                long start = System.nanoTime();
                int entries = new StateRestore(settings, stateTopic).restore(gained, states);
                long took = System.nanoTime() - start;
                restoreTime.record(took, TimeUnit.NANOSECONDS);
                owned.addAll(gained);
                log.info(
                        "kafka: holding keyed partitions {}; {} state entries restored in {} ms",
                        gained,
                        entries,
                        TimeUnit.NANOSECONDS.toMillis(took));
            }
            publishAssignment();
        }
    }
}
