package dev.mamori.sensor.alert;

import dev.mamori.detectors.alert.Alert;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A forwarding output with a {@link Spool} in front: every alert is first appended to the spool
 * (synced when the queue runs empty), then sent from it oldest first; a record leaves the spool
 * only once the destination has taken it. While the destination is down, alerts wait on disk, in
 * order, across restarts and crashes; delivery is retried with a backoff (1 s doubling to 30 s) and
 * resumes where it stopped, so delivery is at least once (duplicates only around a failure).
 *
 * <p>A stream without acknowledgements (TCP syslog) is taken at its word only after the next
 * {@link AlertOutput#confirm()} passes: a batch flushed into a connection the receiver then closed
 * is sent again.
 *
 * <p>Runs on its {@link QueuedOutput}'s writer thread.
 */
public final class SpooledOutput implements AlertOutput {

    private static final Logger log = LoggerFactory.getLogger(SpooledOutput.class);
    private static final int BATCH = 256;
    private static final long FIRST_BACKOFF = 1000;
    private static final long MAX_BACKOFF = 30_000;

    private final AlertOutput destination;
    private final Spool spool;
    private Spool.Position unconfirmed;
    private long retryAt;
    private long backoff = FIRST_BACKOFF;
    private boolean down;
    private volatile long pendingBytes;
    private volatile long oldestMillis;
    private volatile long dropped;
    private volatile long delivered;

    public SpooledOutput(AlertOutput destination, Spool spool) {
        this.destination = destination;
        this.spool = spool;
        this.pendingBytes = spool.pendingBytes();
        if (spool.cutAtOpen() > 0) {
            log.warn("output {}: spool: cut {} bytes of a record half written by a crash", name(), spool.cutAtOpen());
        }
        if (pendingBytes > 0) {
            log.info(
                    "output {}: {} bytes of alerts wait in the spool from before; sending them first",
                    name(),
                    pendingBytes);
        }
    }

    @Override
    public String name() {
        return destination.name();
    }

    /** Appends the alert to the spool; it is sent from there. */
    @Override
    public void write(Alert alert) throws IOException {
        if (pendingBytes == 0) {
            oldestMillis = alert.timestamp().toEpochMilli();
        }
        spool.append(AlertJson.toJson(alert).getBytes(StandardCharsets.UTF_8));
        pendingBytes = spool.pendingBytes();
        dropped = spool.dropped();
    }

    /** Makes the spool durable, then sends what waits in it, as far as the destination takes it. */
    @Override
    public void flush() throws IOException {
        spool.sync();
        deliver();
    }

    @Override
    public boolean hasBacklog() {
        return pendingBytes > 0;
    }

    private void deliver() throws IOException {
        long now = System.currentTimeMillis();
        if (now < retryAt) {
            return;
        }
        try {
            if (unconfirmed != null) {
                destination.confirm();
                spool.commit(unconfirmed);
                unconfirmed = null;
            }
            while (true) {
                List<Spool.Entry> batch = spool.read(BATCH);
                if (batch.isEmpty()) {
                    break;
                }
                boolean first = true;
                for (Spool.Entry e : batch) {
                    Alert a;
                    try {
                        a = AlertJson.read(new String(e.bytes(), StandardCharsets.UTF_8));
                    } catch (IOException unreadable) {
                        continue; // a record that passed its checksum but is no alert: never sendable
                    }
                    if (first) {
                        oldestMillis = a.timestamp().toEpochMilli();
                        first = false;
                    }
                    destination.write(a);
                }
                destination.flush();
                delivered += batch.size();
                Spool.Position end = batch.get(batch.size() - 1).next();
                if (unconfirmed != null) {
                    destination.confirm();
                    spool.commit(unconfirmed);
                }
                unconfirmed = end;
            }
            if (down) {
                log.info("output {}: destination back; the spool is being sent", name());
            }
            down = false;
            backoff = FIRST_BACKOFF;
        } catch (IOException e) {
            spool.rewind();
            unconfirmed = null;
            retryAt = now + backoff;
            if (!down) {
                log.warn(
                        "output {}: destination unavailable ({}); alerts wait in the spool, retrying every {} s"
                                + " at most",
                        name(),
                        e.toString(),
                        MAX_BACKOFF / 1000);
            }
            down = true;
            backoff = Math.min(backoff * 2, MAX_BACKOFF);
        } finally {
            pendingBytes = spool.pendingBytes();
            if (pendingBytes == 0) {
                oldestMillis = 0;
            }
        }
    }

    /** Bytes waiting in the spool ({@code mamori_output_spool_bytes}). */
    public long pendingBytes() {
        return pendingBytes;
    }

    /** Age of the oldest alert waiting, in seconds; 0 when none waits. */
    public double oldestSeconds() {
        long oldest = oldestMillis;
        return pendingBytes == 0 || oldest == 0 ? 0 : Math.max(0, System.currentTimeMillis() - oldest) / 1000.0;
    }

    /** Alerts deleted unsent because the spool reached its size. */
    public long dropped() {
        return dropped;
    }

    /** Sends what it can one last time, then closes; what is left stays in the spool for the next start. */
    @Override
    public void close() throws IOException {
        try {
            retryAt = 0;
            flush();
            if (unconfirmed != null) {
                try {
                    destination.confirm();
                    spool.commit(unconfirmed);
                } catch (IOException e) {
                    log.info("output {}: last batch unconfirmed; it is sent again at the next start", name());
                }
            }
        } finally {
            try {
                spool.close();
            } finally {
                destination.close();
            }
        }
    }
}
