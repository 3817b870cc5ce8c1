package dev.mamori.sensor.alert;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.sensor.incident.IncidentBook;
import dev.mamori.sensor.metrics.SensorMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where every alert goes: counted in {@code mamori_alerts_total{rule, severity}}, kept in the ring
 * for the API, and offered to each output's queue. {@link #emit} never blocks, so detections may
 * call it from event loops.
 */
public final class AlertPipeline implements AlertSink {

    private final List<QueuedOutput> outputs;
    private final AlertRing recent;
    private final SensorMetrics metrics;
    private final AlertGate gate;
    private final IncidentBook incidents;
    private final Consumer<Alert> observer;

    public AlertPipeline(List<QueuedOutput> outputs, AlertRing recent, SensorMetrics metrics) {
        this(outputs, recent, metrics, new AlertGate(List.of(), Duration.ZERO, 1), null, a -> {});
    }

    /**
     * @param incidents gathers alerts into incidents; null for none
     * @param observer told of every alert delivered (the day's review); must not block
     */
    private final Object order = new Object();

    public AlertPipeline(
            List<QueuedOutput> outputs,
            AlertRing recent,
            SensorMetrics metrics,
            AlertGate gate,
            IncidentBook incidents,
            Consumer<Alert> observer) {
        this.outputs = List.copyOf(outputs);
        this.recent = recent;
        this.metrics = metrics;
        this.gate = gate;
        this.incidents = incidents;
        this.observer = observer;
    }

    @Override
    public void emit(Alert alert) {
        if (gate.suppressed(alert)) {
            metrics.alertsSuppressed(alert.ruleId(), "suppression_list").increment();
            return;
        }
        gate.admit(alert, Instant.now(), this::deliver);
    }

    /**
     * One alert at a time, so every output, the recent ring and the review get alerts in the order
     * the incident book saw them: the alert naming an incident never comes before the first alert
     * of it (detections on the event loops and the ticker's burst counts deliver concurrently).
     * Nothing here waits: live outputs only queue (an offline analysis may wait for room, with no
     * other thread delivering).
     */
    private void deliver(Alert raw) {
        synchronized (order) {
            Alert alert = incidents == null ? raw : incidents.assign(raw);
            metrics.alerts(alert.ruleId(), alert.severity().label()).increment();
            recent.add(alert);
            observer.accept(alert);
            for (QueuedOutput o : outputs) {
                o.offer(alert);
            }
        }
    }

    /** Lets de-duplicated bursts whose window closed out, with their counts. */
    public void tick(Instant now) {
        gate.tick(now, this::deliver);
    }

    public AlertRing recent() {
        return recent;
    }

    /** The incident book, or null when alerts are not gathered into incidents. */
    public IncidentBook incidents() {
        return incidents;
    }

    /**
     * Waits until every alert delivered so far is written by every output (see
     * {@link QueuedOutput#awaitWritten}), sharing one deadline.
     *
     * @return false when the deadline passed first
     */
    public boolean awaitWritten(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (QueuedOutput o : outputs) {
            if (!o.awaitWritten(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }

    /** Drains every output and closes it (flush, fsync), sharing one deadline. */
    public void close(Duration timeout) {
        gate.drain(this::deliver);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (QueuedOutput o : outputs) {
            long left = Math.max(
                    deadline - System.nanoTime(), Duration.ofMillis(100).toNanos());
            o.close(Duration.ofNanos(left));
        }
    }
}
