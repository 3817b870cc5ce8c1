package dev.mamori.sensor.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The sensor's meters. Names are the contract of DESIGN.md (Micrometer's dotted names become
 * {@code mamori_..._total} and {@code ..._seconds} in the Prometheus text). Hot paths look a counter
 * up once and keep it; these lookups are for setup and for rare events.
 */
public final class SensorMetrics implements AutoCloseable {

    public static final String EVENTS_RECEIVED = "mamori.events.received";
    public static final String EVENTS_DROPPED = "mamori.events.dropped";
    public static final String DETECTION_KEYS_DROPPED = "mamori.detection.keys.dropped";
    public static final String EVENTS_PARSED = "mamori.events.parsed";
    public static final String PARSE_FAILURES = "mamori.parse.failures";
    public static final String ALERTS = "mamori.alerts";
    public static final String ALERTS_SUPPRESSED = "mamori.alerts.suppressed";
    public static final String ALERT_OUTPUT_DROPPED = "mamori.alert.output.dropped";
    public static final String ALERT_OUTPUT_WRITTEN = "mamori.alert.output.written";
    public static final String FIREWALL_EVENTS = "mamori.firewall.events";
    public static final String BYTES_RECEIVED = "mamori.received";
    public static final String ICAP_REQUESTS = "mamori.icap.requests";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final LatencyHistogram detectionLatency;
    private final List<DoubleSupplier> functionSources = new CopyOnWriteArrayList<>();
    private final Map<RuleSeverity, Counter> alertCounters = new ConcurrentHashMap<>();

    public SensorMetrics(String version) {
        // promtool's lint rejects these two names (an abbreviated unit; "_count" on a gauge).
        // process_cpu_usage covers the first; the second is renamed.
        registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        Gauge.builder("mamori.build.info", () -> 1)
                .description("Mamori build; the value is always 1")
                .tag("version", version)
                .register(registry);
        detectionLatency = new LatencyHistogram(
                "mamori_detection_latency_seconds", "Time from an event's arrival to the end of its detections");
        registry.getPrometheusRegistry().register(detectionLatency);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition format (0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    /** {@code mamori_events_received_total{input, transport}}; transport is {@code -} for non-network inputs. */
    public Counter eventsReceived(String input, String transport) {
        return Counter.builder(EVENTS_RECEIVED)
                .description("Messages accepted by an input")
                .tags("input", input, "transport", transport)
                .register(registry);
    }

    /** {@code mamori_connections_refused_total{input}}: connections and datagrams from clients not allowed. */
    public Counter connectionsRefused(String input) {
        return Counter.builder("mamori.connections.refused")
                .description("Connections (and UDP datagrams) refused because the client is not in allowed_clients")
                .tags("input", input)
                .register(registry);
    }

    /** {@code mamori_source_missing_fields_total{source, field}}: lines whose format lacks a field a rule reads. */
    public Counter sourceMissingFields(String source, String field) {
        return Counter.builder("mamori.source.missing.fields")
                .description("Lines from a source that lack a field a rule needs")
                .tags("source", source, "field", field)
                .register(registry);
    }

    /** {@code mamori_events_dropped_total{input, reason}}. */
    public Counter eventsDropped(String input, String reason) {
        return Counter.builder(EVENTS_DROPPED)
                .description("Frames or messages not processed, by reason")
                .tags("input", input, "reason", reason)
                .register(registry);
    }

    public Counter eventsParsed(String format) {
        return Counter.builder(EVENTS_PARSED)
                .description("Log lines or messages parsed, by format")
                .tag("format", format)
                .register(registry);
    }

    public Counter parseFailures(String format) {
        return Counter.builder(PARSE_FAILURES)
                .description("Log lines or messages that could not be parsed")
                .tag("format", format)
                .register(registry);
    }

    /** {@code mamori_alerts_total{rule, severity}}. */
    public Counter alerts(String rule, String severity) {
        // asked once per alert: a map lookup instead of building and registering a meter id each time
        return alertCounters.computeIfAbsent(
                new RuleSeverity(rule, severity),
                k -> Counter.builder(ALERTS)
                        .description("Alerts raised, by rule and severity")
                        .tags("rule", rule, "severity", severity)
                        .register(registry));
    }

    private record RuleSeverity(String rule, String severity) {}

    /** {@code mamori_firewall_events_total{action, direction}}: the periodic review's raw counts. */
    public Counter firewallEvents(String action, String direction) {
        return Counter.builder(FIREWALL_EVENTS)
                .description("Firewall log entries by action and direction")
                .tags("action", action, "direction", direction)
                .register(registry);
    }

    /** {@code mamori_smtp_messages_total{verdict}}: relayed, tagged, rejected, deferred. */
    public Counter smtpMessages(String verdict) {
        return Counter.builder("mamori.smtp.messages")
                .description("Messages through the SMTP relay hook, by verdict")
                .tag("verdict", verdict)
                .register(registry);
    }

    /** {@code mamori_icap_requests_total{method, verdict}}. */
    public Counter icapRequests(String method, String verdict) {
        return Counter.builder(ICAP_REQUESTS)
                .description("ICAP requests answered, by method and verdict")
                .tags("method", method, "verdict", verdict)
                .register(registry);
    }

    public Counter bytesReceived(String input, String transport) {
        return Counter.builder(BYTES_RECEIVED)
                .description("Bytes received by an input")
                .baseUnit("bytes")
                .tags("input", input, "transport", transport)
                .register(registry);
    }

    /** {@code mamori_alerts_suppressed_total{rule, reason}}: alerts a suppression list dropped. */
    public Counter alertsSuppressed(String rule, String reason) {
        return Counter.builder(ALERTS_SUPPRESSED)
                .description("Alerts dropped by suppression lists")
                .tags("rule", rule, "reason", reason)
                .register(registry);
    }

    /** {@code mamori_intel_reloads_total{result="ok|failed"}}. */
    public Counter intelReloads(String result) {
        return Counter.builder("mamori.intel.reloads")
                .description("Reloads of the intel lists, by result")
                .tag("result", result)
                .register(registry);
    }

    public Counter alertOutputDropped(String output, String reason) {
        return Counter.builder(ALERT_OUTPUT_DROPPED)
                .description("Alerts an output could not take, by reason")
                .tags("output", output, "reason", reason)
                .register(registry);
    }

    public Counter alertOutputWritten(String output) {
        return Counter.builder(ALERT_OUTPUT_WRITTEN)
                .description("Alerts written by an output")
                .tag("output", output)
                .register(registry);
    }

    /**
     * {@code mamori_kafka_records_consumed_total{stage}}: records of the log topics ({@code logs}) and
     * of the internal keyed topic ({@code keyed}).
     */
    public Counter kafkaConsumed(String stage) {
        return Counter.builder("mamori.kafka.records.consumed")
                .description("Kafka records consumed, by stage: logs (re-keyed) or keyed (inspected)")
                .tag("stage", stage)
                .register(registry);
    }

    /** A plain counter ({@code <name>_total}). */
    public Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    /** A timer ({@code <name>_seconds}). */
    public Timer timer(String name, String description) {
        return Timer.builder(name).description(description).register(registry);
    }

    /** A gauge read at scrape time, e.g. a queue depth. */
    public void gauge(String name, String description, Supplier<Number> value, String... tags) {
        Gauge.builder(name, value)
                .description(description)
                .tags(tags)
                .strongReference(true)
                .register(registry);
    }

    /** A counter whose value is read at scrape time from elsewhere (e.g. the kernel). */
    public void functionCounter(String name, String description, DoubleSupplier value, String... tags) {
        functionSources.add(value); // Micrometer holds the source weakly
        FunctionCounter.builder(name, value, DoubleSupplier::getAsDouble)
                .description(description)
                .tags(tags)
                .register(registry);
    }

    public LatencyHistogram detectionLatency() {
        return detectionLatency;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
