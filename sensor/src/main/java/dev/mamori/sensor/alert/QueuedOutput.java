package dev.mamori.sensor.alert;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.sensor.metrics.SensorMetrics;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts one {@link AlertOutput} behind a bounded queue and a writer thread of its own. {@link
 * #offer} never blocks: when the queue is full the alert is dropped, counted in
 * {@code mamori_alert_output_dropped_total{output, reason="queue_full"}} and logged (at most once
 * a second). The writer thread owns the output; it flushes whenever the queue runs empty.
 */
public final class QueuedOutput {

    private static final Logger log = LoggerFactory.getLogger(QueuedOutput.class);
    private static final int BATCH = 256;
    /**
     * After the first alert of a quiet spell, the writer waits this long for more before writing
     * and flushing, so a stream of alerts costs a few wake-ups and flushes a second rather than one
     * each (measured at 10% of the ICAP path's CPU when every request alerted). A writer that
     * knows of an {@link #awaitWritten} caller does not linger; one that started to just before
     * the call keeps the caller waiting those few milliseconds at most.
     */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final AlertOutput output;
    private final BlockingQueue<Alert> queue;
    private final Thread writer;
    private final Counter queueFull;
    private final Counter writeErrors;
    private final Counter written;
    private final AtomicLong lastDropLog = new AtomicLong();
    /** Writer thread only. */
    private long lastErrorLog;

    /** Alerts queued so far; and, written by the writer, how many it took and had flushed. */
    private final AtomicLong queued = new AtomicLong();

    private long taken;
    private volatile long flushed;
    /** The count a caller of {@link #awaitWritten} waits for; the writer flushes early to reach it. */
    private volatile long wanted;

    private final Object progress = new Object();

    private final boolean waitWhenFull;
    private final AlertFilter filter;
    private volatile boolean closing;

    /** A live output: a full queue drops and counts (detection must never wait on an output). */
    public QueuedOutput(AlertOutput output, int capacity, SensorMetrics metrics) {
        this(output, capacity, metrics, false, AlertFilter.ALL);
    }

    public QueuedOutput(AlertOutput output, int capacity, SensorMetrics metrics, AlertFilter filter) {
        this(output, capacity, metrics, false, filter);
    }

    public QueuedOutput(AlertOutput output, int capacity, SensorMetrics metrics, boolean waitWhenFull) {
        this(output, capacity, metrics, waitWhenFull, AlertFilter.ALL);
    }

    /**
     * @param waitWhenFull make {@link #offer} wait for room instead of dropping; only for offline
     *     analysis, where the reader can slow down and nothing should be lost
     */
    private QueuedOutput(
            AlertOutput output, int capacity, SensorMetrics metrics, boolean waitWhenFull, AlertFilter filter) {
        this.output = output;
        this.waitWhenFull = waitWhenFull;
        this.filter = filter;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.queueFull = metrics.alertOutputDropped(output.name(), "queue_full");
        this.writeErrors = metrics.alertOutputDropped(output.name(), "write_error");
        this.written = metrics.alertOutputWritten(output.name());
        metrics.gauge(
                "mamori.alert.output.queue.depth",
                "Alerts waiting for an output's writer",
                queue::size,
                "output",
                output.name());
        this.writer = new Thread(this::drain, "mamori-output-" + output.name());
        this.writer.setDaemon(true);
        this.writer.start();
    }

    public String name() {
        return output.name();
    }

    /** Queues the alert for writing; returns false (and counts) when the queue is full or closed. */
    public boolean offer(Alert alert) {
        if (!filter.accepts(alert)) {
            return true; // not this output's business: neither written nor dropped
        }
        if (!closing && queue.offer(alert)) {
            queued.incrementAndGet();
            return true;
        }
        if (!closing && waitWhenFull) {
            try {
                queue.put(alert);
                queued.incrementAndGet();
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        queueFull.increment();
        long now = System.nanoTime();
        long last = lastDropLog.get();
        if (now - last > TimeUnit.SECONDS.toNanos(1) && lastDropLog.compareAndSet(last, now)) {
            log.warn(
                    "output {}: {} alert(s) dropped so far, reason: {}",
                    output.name(),
                    (long) queueFull.count(),
                    closing ? "closing" : "queue full");
        }
        return false;
    }

    private void drain() {
        List<Alert> batch = new ArrayList<>(BATCH);
        while (true) {
            try {
                Alert first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing && queue.isEmpty()) {
                        break;
                    }
                    if (output.hasBacklog()) {
                        output.flush(); // a spooled output retries its destination while idle
                    }
                    continue;
                }
                batch.add(first);
                if (queue.size() < BATCH - 1 && wanted <= flushed && !closing) {
                    // asleep rather than waiting on the queue: offers meanwhile wake no one
                    TimeUnit.NANOSECONDS.sleep(LINGER_NANOS);
                }
                queue.drainTo(batch, BATCH - 1);
                for (Alert a : batch) {
                    writeOne(a);
                }
                taken += batch.size();
                batch.clear();
                if (queue.isEmpty() || wanted > flushed) {
                    flushAndReport();
                }
            } catch (InterruptedException e) {
                // close() interrupts only after its deadline; what is still queued is lost and counted.
                int lost = queue.size() + batch.size();
                queue.clear();
                for (int i = 0; i < lost; i++) {
                    writeErrors.increment();
                }
                if (lost > 0) {
                    log.error(
                            "output {}: {} alert(s) still queued at the shutdown deadline were not written",
                            output.name(),
                            lost);
                }
                break;
            } catch (Exception e) {
                log.error("output {}: flush failed: {}", output.name(), e.toString());
            }
        }
        try {
            output.close();
        } catch (Exception e) {
            log.error("output {}: close failed: {}", output.name(), e.toString());
        }
    }

    /** Flushes; what was taken before is then written (or failed and counted), and waiters are told. */
    private void flushAndReport() throws IOException {
        try {
            output.flush();
        } finally {
            synchronized (progress) {
                flushed = taken;
                progress.notifyAll();
            }
        }
    }

    /**
     * Waits until every alert queued before this call has been written and flushed (a spooled
     * output: on its destination or in its spool), or counted as not written. What an input that
     * commits its own progress (Kafka offsets) waits for first.
     *
     * @return false when {@code timeout} passed first
     */
    public boolean awaitWritten(Duration timeout) throws InterruptedException {
        long target = queued.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            if (target > wanted) {
                wanted = target;
            }
            while (flushed < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !writer.isAlive()) {
                    return flushed >= target;
                }
                progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return true;
        }
    }

    private void writeOne(Alert a) {
        try {
            output.write(a);
            written.increment();
        } catch (Exception e) {
            writeErrors.increment();
            // an outage fails every alert the same way: one line a minute, with the count so far
            long now = System.nanoTime();
            if (lastErrorLog == 0 || now - lastErrorLog > TimeUnit.MINUTES.toNanos(1)) {
                lastErrorLog = now;
                log.error(
                        "output {}: cannot write alerts ({} not written so far, counted in"
                                + " mamori_alert_output_dropped_total{reason=\"write_error\"}): {}",
                        output.name(),
                        (long) writeErrors.count(),
                        e.toString());
            }
        }
    }

    /**
     * Stops taking alerts, lets the writer drain what is queued, then closes (flush + fsync) the
     * output. Waits at most {@code timeout}.
     */
    public void close(Duration timeout) {
        closing = true;
        try {
            writer.join(timeout.toMillis());
            if (writer.isAlive()) {
                writer.interrupt();
                writer.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // An offer racing with the close may have landed after the writer's last look.
        int late = queue.size();
        if (late > 0 && !writer.isAlive()) {
            queue.clear();
            for (int i = 0; i < late; i++) {
                queueFull.increment();
            }
            log.warn(
                    "output {}: {} alert(s) arrived after the output closed and were not written", output.name(), late);
        }
    }
}
