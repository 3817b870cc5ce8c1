package dev.mamori.sensor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    /** The line of the scrape that starts with {@code prefix}, or null. */
    private static String line(String scrape, String prefix) {
        return scrape.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
    }

    @Test
    void countsEachDurationInItsBucketCumulativelyWithSumAndCount() {
        try (SensorMetrics metrics = new SensorMetrics("t")) {
            LatencyHistogram h = metrics.detectionLatency();
            h.record(800); // 0.8 us
            h.record(1_000); // exactly the first bound: counted in it (le is "less or equal")
            h.record(3_000);
            h.record(2_000_000_000L); // past the last bound
            String text = metrics.scrape();
            assertThat(text).contains("# TYPE mamori_detection_latency_seconds histogram");
            assertThat(line(text, "mamori_detection_latency_seconds_bucket{le=\"1.0E-6\"}"))
                    .endsWith(" 2");
            assertThat(line(text, "mamori_detection_latency_seconds_bucket{le=\"2.5E-6\"}"))
                    .endsWith(" 2");
            assertThat(line(text, "mamori_detection_latency_seconds_bucket{le=\"5.0E-6\"}"))
                    .endsWith(" 3");
            assertThat(line(text, "mamori_detection_latency_seconds_bucket{le=\"1.0\"}"))
                    .endsWith(" 3");
            assertThat(line(text, "mamori_detection_latency_seconds_bucket{le=\"+Inf\"}"))
                    .endsWith(" 4");
            assertThat(line(text, "mamori_detection_latency_seconds_count")).endsWith(" 4");
            assertThat(line(text, "mamori_detection_latency_seconds_sum"))
                    .isEqualTo("mamori_detection_latency_seconds_sum 2.0000048");
        }
    }

    /** Every thread counts in its own cells; the scrape adds them all up. */
    @Test
    void countsFromManyThreadsAddUp() throws Exception {
        LatencyHistogram h = new LatencyHistogram("t_seconds", "test");
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    h.record(i % 2 == 0 ? 2_000 : 20_000);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        var point = ((io.prometheus.metrics.model.snapshots.HistogramSnapshot) h.collect())
                .getDataPoints()
                .get(0);
        assertThat(point.getCount()).isEqualTo(400_000);
        assertThat(point.getSum())
                .isCloseTo(200_000 * 2e-6 + 200_000 * 2e-5, org.assertj.core.data.Offset.offset(1e-9));
    }
}
