package dev.mamori.sensor.ingest;

import dev.mamori.sensor.metrics.SensorMetrics;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says when a device's lines lack what a rule reads, so an operator learns that the rule is blind
 * for that device rather than finding out from silence (Squid's native format has no User-Agent
 * and no request size; a firewall logging TCP without ports leaves lateral movement unseen). Which
 * rules need which field their specs say. Counted per source and field in
 * {@code mamori_source_missing_fields_total}, logged once per source and field. Bounded: past
 * {@value #MAX_SOURCES} sources, further ones count as {@code other}.
 *
 * @param <E> the event type
 */
final class FieldsNotice<E> implements BiConsumer<LogRecord, E> {

    private static final Logger log = LoggerFactory.getLogger(FieldsNotice.class);
    private static final int MAX_SOURCES = 1000;

    private final String kind;
    private final String advice;
    private final SensorMetrics metrics;
    /** Field to the test that finds it missing in an event. */
    private final Map<String, Predicate<E>> missing;
    /** Field to the enabled rules that need it. */
    private final Map<String, List<String>> blind;

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /**
     * @param kind the device kind, for the log line ("proxy")
     * @param advice how to make the device log the field, for the log line
     */
    FieldsNotice(
            String kind,
            String advice,
            SensorMetrics metrics,
            Map<String, Predicate<E>> missing,
            Map<String, List<String>> blind) {
        this.kind = kind;
        this.advice = advice;
        this.metrics = metrics;
        this.missing = Map.copyOf(missing);
        this.blind = Map.copyOf(blind);
    }

    @Override
    public void accept(LogRecord record, E e) {
        for (Map.Entry<String, Predicate<E>> m : missing.entrySet()) {
            if (m.getValue().test(e)) {
                missing(record.host(), m.getKey());
            }
        }
    }

    private void missing(String host, String field) {
        String source = host == null ? "-" : host;
        String key = source + "\n" + field;
        Counter c = counters.get(key);
        if (c == null) {
            if (counters.size() >= MAX_SOURCES * 2) {
                source = "other";
                key = source + "\n" + field;
            }
            String s = source;
            c = counters.computeIfAbsent(key, k -> {
                log.warn(
                        "{} lines from {} carry no {}: {} is blind for that device ({})",
                        kind,
                        s,
                        field,
                        String.join(", ", blind.getOrDefault(field, List.of("no enabled rule"))),
                        advice);
                return metrics.sourceMissingFields(s, field);
            });
        }
        c.increment();
    }
}
