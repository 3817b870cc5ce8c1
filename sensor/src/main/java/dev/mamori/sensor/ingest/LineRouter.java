package dev.mamori.sensor.ingest;

import dev.mamori.detectors.parse.ParseOutcome;
import dev.mamori.sensor.metrics.LatencyHistogram;
import dev.mamori.sensor.metrics.SensorMetrics;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers each line to the formats in order; the first that recognises it handles it. Counts every
 * outcome: {@code mamori_events_parsed_total{format}}, {@code mamori_parse_failures_total{format}}
 * for lines a format recognised but could not read, and {@code format="unrecognised"} for lines no
 * format claims; none is dropped silently. Times each line in
 * {@code mamori_detection_latency_seconds}. Thread-safe as long as the formats are.
 */
public final class LineRouter {

    private static final Logger log = LoggerFactory.getLogger(LineRouter.class);

    private final List<LineFormat> formats;
    private final SensorMetrics metrics;
    private final Map<String, Counter> parsed = new ConcurrentHashMap<>();
    private final Map<String, Counter> failed = new ConcurrentHashMap<>();
    private final Counter unrecognised;
    private final LatencyHistogram latency;
    private final LongAdder recognisedCount = new LongAdder();
    private final LongAdder failedCount = new LongAdder();
    private final LongAdder unrecognisedCount = new LongAdder();
    private final AtomicLong lastFailureLog = new AtomicLong();
    private final BiConsumer<LogRecord, ParseOutcome<?>> observer;

    public LineRouter(List<LineFormat> formats, SensorMetrics metrics) {
        this(formats, metrics, (r, o) -> {});
    }

    /**
     * @param observer told of every line and what became of it (collection health); runs on the
     *     input thread after the detections
     */
    public LineRouter(
            List<LineFormat> formats, SensorMetrics metrics, BiConsumer<LogRecord, ParseOutcome<?>> observer) {
        this.observer = observer;
        this.formats = List.copyOf(formats);
        this.metrics = metrics;
        this.unrecognised = metrics.parseFailures("unrecognised");
        this.latency = metrics.detectionLatency();
    }

    public ParseOutcome<?> route(LogRecord record) {
        long start = System.nanoTime();
        ParseOutcome<?> outcome = ParseOutcome.notMine();
        for (int i = 0; i < formats.size() && outcome instanceof ParseOutcome.NotMine<?>; i++) {
            try {
                outcome = formats.get(i).handle(record);
            } catch (RuntimeException bug) {
                // A parser or detection bug must cost one line, not the sender's connection.
                outcome = ParseOutcome.malformed(formats.get(i).name(), "internal error: " + bug);
                log.error("{} format failed on a line from {}", formats.get(i).name(), record.host(), bug);
            }
        }
        if (record.followUp()) {
            return outcome; // a copy of a line counted where it arrived
        }
        if (outcome instanceof ParseOutcome.Parsed<?> p) {
            parsed.computeIfAbsent(p.format(), metrics::eventsParsed).increment();
            recognisedCount.increment();
        } else if (outcome instanceof ParseOutcome.Malformed<?> f) {
            failed.computeIfAbsent(f.format(), metrics::parseFailures).increment();
            failedCount.increment();
            logFailure(f, record);
        } else {
            unrecognised.increment();
            unrecognisedCount.increment();
        }
        observer.accept(record, outcome);
        latency.record(System.nanoTime() - start);
        return outcome;
    }

    /**
     * The routing keys of a line ({@link RoutingKeys}), parsed but not inspected; empty when no
     * format claims it or its event names no key. A parser bug costs the keys, not the line.
     */
    public List<String> routingKeys(LogRecord record) {
        for (LineFormat f : formats) {
            try {
                List<String> k = f.routingKeys(record);
                if (k != null) {
                    return k;
                }
            } catch (RuntimeException bug) {
                return List.of();
            }
        }
        return List.of();
    }

    /** At most one line a second: a broken device could otherwise flood the log. */
    private void logFailure(ParseOutcome.Malformed<?> f, LogRecord record) {
        long now = System.nanoTime();
        long last = lastFailureLog.get();
        if (now - last > 1_000_000_000L && lastFailureLog.compareAndSet(last, now)) {
            String text = record.message();
            log.warn(
                    "cannot parse {} line from {}: {}: {}",
                    f.format(),
                    record.host() == null ? "-" : record.host(),
                    f.reason(),
                    text.length() > 200 ? text.substring(0, 200) + "..." : text);
        }
    }

    public long recognised() {
        return recognisedCount.sum();
    }

    public long failed() {
        return failedCount.sum();
    }

    public long unrecognised() {
        return unrecognisedCount.sum();
    }
}
