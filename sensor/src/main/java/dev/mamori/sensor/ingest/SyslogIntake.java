package dev.mamori.sensor.ingest;

import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.protocols.syslog.SyslogEvents;
import dev.mamori.protocols.syslog.SyslogMessage;
import dev.mamori.sensor.metrics.SensorMetrics;
import io.micrometer.core.instrument.Counter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the syslog listeners deliver: counts messages, bytes, drops and connections per transport
 * ({@code mamori_events_received_total{input="syslog"}}, {@code mamori_received_bytes_total},
 * {@code mamori_events_dropped_total}, {@code mamori_syslog_connections}) and routes each message
 * through the formats and detections on the calling event loop. That keeps TCP backpressure
 * honest: a connection is not read further until its messages have been inspected.
 */
public final class SyslogIntake implements SyslogEvents {

    private static final String[] TRANSPORTS = {"udp", "tcp", "tls"};

    private final LineRouter router;
    private final SensorMetrics metrics;
    private final Map<String, Counter> received = new ConcurrentHashMap<>();
    private final Map<String, Counter> bytes = new ConcurrentHashMap<>();
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();

    public SyslogIntake(LineRouter router, SensorMetrics metrics) {
        this.router = router;
        this.metrics = metrics;
        for (String t : TRANSPORTS) {
            received.put(t, metrics.eventsReceived("syslog", t));
            bytes.put(t, metrics.bytesReceived("syslog", t));
            AtomicInteger open = new AtomicInteger();
            connections.put(t, open);
            if (!t.equals("udp")) {
                metrics.gauge("mamori.syslog.connections", "Open syslog connections", open::get, "transport", t);
            }
        }
        // Shown at zero from the start, so dashboards and alert rules see the series before trouble.
        for (String reason : new String[] {OVERSIZE, TOO_MANY_CONNECTIONS, TLS_HANDSHAKE, INTERNAL_ERROR}) {
            dropped.put(reason, metrics.eventsDropped("syslog", reason));
        }
    }

    @Override
    public void message(SyslogMessage m, String transport) {
        received.get(transport).increment();
        router.route(new LogRecord(m.message(), m.hostname(), m.timestamp(), ObserverInput.SYSLOG, m.sender()));
    }

    @Override
    public void bytes(String transport, long count) {
        bytes.get(transport).increment(count);
    }

    @Override
    public void dropped(String transport, String reason) {
        dropped.computeIfAbsent(reason, r -> metrics.eventsDropped("syslog", r)).increment();
    }

    @Override
    public void connectionOpened(String transport) {
        connections.get(transport).incrementAndGet();
    }

    @Override
    public void connectionClosed(String transport) {
        connections.get(transport).decrementAndGet();
    }
}
