package dev.mamori.sensor.ingest;

import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.sensor.metrics.SensorMetrics;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says when a proxy's lines lack what a rule reads, so an operator learns that the rule is blind
 * for that device rather than finding out from silence (Squid's native format has no User-Agent
 * and no request size). Which rules need which field their specs say. Counted per source and field
 * in {@code mamori_source_missing_fields_total}, logged once per source and field.
 * Bounded: past {@value #MAX_SOURCES} sources, further ones count as {@code other}.
 */
final class ProxyFieldsNotice implements BiConsumer<LogRecord, ProxyEvent> {

    private static final Logger log = LoggerFactory.getLogger(ProxyFieldsNotice.class);
    private static final int MAX_SOURCES = 1000;

    private final SensorMetrics metrics;
    /** Field to the enabled rules that need it. */
    private final Map<String, List<String>> blind;

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    ProxyFieldsNotice(SensorMetrics metrics, Map<String, List<String>> blind) {
        this.metrics = metrics;
        this.blind = Map.copyOf(blind);
    }

    @Override
    public void accept(LogRecord record, ProxyEvent e) {
        if (e.userAgent() == null) {
            missing(record.host(), "user_agent");
        }
        if (e.requestBytes() < 0) {
            missing(record.host(), "request_bytes");
        }
    }

    private void missing(String host, String field) {
        String blindRule = String.join(", ", blind.getOrDefault(field, List.of("no enabled rule")));
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
                        "proxy lines from {} carry no {}: {} is blind for that device (log in the mamori format, or"
                                + " a formats.squid.logformats entry with the field)",
                        s,
                        field,
                        blindRule);
                return metrics.sourceMissingFields(s, field);
            });
        }
        c.increment();
    }
}
