package dev.mamori.sensor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.sensor.TestAlerts;
import dev.mamori.sensor.metrics.SensorMetrics;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class QueuedOutputTest {

    /** An output whose writes wait for a gate, to fill the queue deterministically. */
    static final class GatedOutput implements AlertOutput {
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch firstWrite = new CountDownLatch(1);
        final List<Alert> written = new CopyOnWriteArrayList<>();
        volatile int flushes;
        volatile boolean closed;

        @Override
        public String name() {
            return "gated";
        }

        @Override
        public void write(Alert alert) throws IOException {
            firstWrite.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            written.add(alert);
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** What the Kafka input waits for before committing offsets: written and flushed, not just queued. */
    @Test
    void awaitWrittenReturnsOnlyOnceEveryQueuedAlertIsFlushed() throws Exception {
        try (SensorMetrics metrics = new SensorMetrics("test")) {
            GatedOutput out = new GatedOutput();
            QueuedOutput q = new QueuedOutput(out, 10, metrics);
            assertThat(q.awaitWritten(Duration.ofMillis(10))).isTrue(); // nothing queued
            q.offer(TestAlerts.connectBack("10.0.0.1", Instant.now()));
            q.offer(TestAlerts.connectBack("10.0.0.2", Instant.now()));
            assertThat(out.firstWrite.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(q.awaitWritten(Duration.ofMillis(200))).isFalse(); // the writer is held
            out.gate.countDown();
            assertThat(q.awaitWritten(Duration.ofSeconds(5))).isTrue();
            assertThat(out.written).hasSize(2);
            assertThat(out.flushes).isPositive();
            q.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void fullQueueDropsAndCountsWithoutBlockingTheCaller() throws Exception {
        try (SensorMetrics metrics = new SensorMetrics("test")) {
            GatedOutput out = new GatedOutput();
            QueuedOutput q = new QueuedOutput(out, 2, metrics);
            assertThat(q.offer(TestAlerts.connectBack("10.0.0.1", Instant.now())))
                    .isTrue();
            assertThat(out.firstWrite.await(5, TimeUnit.SECONDS)).isTrue(); // writer holds #1
            assertThat(q.offer(TestAlerts.connectBack("10.0.0.2", Instant.now())))
                    .isTrue();
            assertThat(q.offer(TestAlerts.connectBack("10.0.0.3", Instant.now())))
                    .isTrue();
            assertThat(q.offer(TestAlerts.connectBack("10.0.0.4", Instant.now())))
                    .isFalse();
            assertThat(metrics.scrape())
                    .contains("mamori_alert_output_dropped_total{output=\"gated\",reason=\"queue_full\"} 1.0");
            out.gate.countDown();
            q.close(Duration.ofSeconds(5));
            assertThat(out.written)
                    .extracting(a -> a.fields().values().iterator().next())
                    .containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3");
            assertThat(out.closed).isTrue();
            assertThat(out.flushes).isPositive();
            assertThat(metrics.scrape()).contains("mamori_alert_output_written_total{output=\"gated\"} 3.0");
        }
    }

    /** Alerts arriving one by one are written in batches: a few flushes, not one per alert. */
    @Test
    void aTrickleOfAlertsIsWrittenInBatches() throws Exception {
        try (SensorMetrics metrics = new SensorMetrics("test")) {
            GatedOutput out = new GatedOutput();
            out.gate.countDown();
            QueuedOutput q = new QueuedOutput(out, 10_000, metrics);
            for (int i = 0; i < 50; i++) {
                q.offer(TestAlerts.connectBack("10.0.0.1", Instant.now()));
                LockSupport.parkNanos(200_000); // a few thousand alerts a second
            }
            assertThat(q.awaitWritten(Duration.ofSeconds(5))).isTrue();
            assertThat(out.written).hasSize(50);
            // each wake-up of the writer waits 5 ms for more: a handful of flushes, not fifty
            assertThat(out.flushes).isBetween(1, 25);
            q.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void closeDrainsEverythingQueuedThenClosesTheOutput() throws Exception {
        try (SensorMetrics metrics = new SensorMetrics("test")) {
            GatedOutput out = new GatedOutput();
            out.gate.countDown();
            QueuedOutput q = new QueuedOutput(out, 10_000, metrics);
            for (int i = 0; i < 5000; i++) {
                q.offer(TestAlerts.connectBack("10.0.0.1", Instant.now()));
            }
            q.close(Duration.ofSeconds(10));
            assertThat(out.written).hasSize(5000);
            assertThat(out.closed).isTrue();
            assertThat(q.offer(TestAlerts.connectBack("10.0.0.1", Instant.now())))
                    .as("closed")
                    .isFalse();
        }
    }

    @Test
    void waitingModeLosesNothingWhenTheQueueIsTiny() throws Exception {
        try (SensorMetrics metrics = new SensorMetrics("test")) {
            GatedOutput out = new GatedOutput();
            out.gate.countDown();
            QueuedOutput q = new QueuedOutput(out, 1, metrics, true);
            for (int i = 0; i < 1000; i++) {
                assertThat(q.offer(TestAlerts.connectBack("10.0.0.1", Instant.now())))
                        .isTrue();
            }
            q.close(Duration.ofSeconds(10));
            assertThat(out.written).hasSize(1000);
        }
    }

    @Test
    void anOutageIsOneLogLineAndEveryLostAlertCounted() throws Exception {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(QueuedOutput.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
                new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        AlertOutput down = new AlertOutput() {
            @Override
            public String name() {
                return "siem";
            }

            @Override
            public void write(Alert alert) throws IOException {
                throw new IOException("Connection refused");
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        try (SensorMetrics metrics = new SensorMetrics("t")) {
            QueuedOutput q = new QueuedOutput(down, 1000, metrics);
            for (int i = 0; i < 137; i++) {
                q.offer(TestAlerts.connectBack("10.0.0." + (i % 250), Instant.now()));
            }
            q.close(Duration.ofSeconds(5));
            assertThat(metrics.scrape())
                    .contains("mamori_alert_output_dropped_total{output=\"siem\",reason=\"write_error\"} 137.0");
        } finally {
            logger.detachAppender(seen);
        }
        assertThat(seen.list)
                .filteredOn(e -> e.getFormattedMessage().contains("cannot write alerts"))
                .singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains("Connection refused"));
    }
}
