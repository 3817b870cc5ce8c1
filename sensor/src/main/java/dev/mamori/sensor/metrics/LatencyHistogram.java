package dev.mamori.sensor.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A classic Prometheus histogram of durations recorded once per line on the input threads
 * ({@code mamori_detection_latency_seconds}). Each thread counts in cells of its own, so recording
 * is a bucket search and two plain stores: no shared write, no atomic operation and no clock read
 * per line (Micrometer's timer did three of each, a tenth of a syslog line's cost). A scrape adds
 * the cells up; a count read while a thread writes it is at most that one line behind.
 */
public final class LatencyHistogram implements Collector {

    /** Upper bounds in seconds: 1-2.5-5 steps from a microsecond to a second. */
    static final double[] BOUNDS = {
        1e-6,
        2.5e-6,
        5e-6,
        1e-5,
        2.5e-5,
        5e-5,
        1e-4,
        2.5e-4,
        5e-4,
        1e-3,
        2.5e-3,
        5e-3,
        0.01,
        0.025,
        0.05,
        0.1,
        0.25,
        0.5,
        1.0,
        Double.POSITIVE_INFINITY
    };

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final String name;
    private final String help;
    private final long[] boundsNanos = new long[BOUNDS.length - 1];
    private final List<long[]> cells = new CopyOnWriteArrayList<>();
    private final ThreadLocal<long[]> mine = ThreadLocal.withInitial(this::newCells);

    /** @param name the Prometheus name, ending in {@code _seconds} */
    public LatencyHistogram(String name, String help) {
        this.name = name;
        this.help = help;
        for (int i = 0; i < boundsNanos.length; i++) {
            boundsNanos[i] = Math.round(BOUNDS[i] * 1e9);
        }
    }

    /** One duration; only ever written by the calling thread's own cells. */
    public void record(long nanos) {
        long[] c = mine.get();
        int b = 0;
        while (b < boundsNanos.length && nanos > boundsNanos[b]) {
            b++;
        }
        // opaque: a scrape on another thread sees each store whole and soon, at no fence's cost
        LONGS.setOpaque(c, b, (long) LONGS.getOpaque(c, b) + 1);
        int sum = BOUNDS.length;
        LONGS.setOpaque(c, sum, (long) LONGS.getOpaque(c, sum) + Math.max(0, nanos));
    }

    /** The last cell of a thread's array is its sum of nanoseconds. */
    private long[] newCells() {
        long[] c = new long[BOUNDS.length + 1];
        cells.add(c);
        return c;
    }

    @Override
    public MetricSnapshot collect() {
        long[] counts = new long[BOUNDS.length];
        long sumNanos = 0;
        for (long[] c : cells) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] += (long) LONGS.getOpaque(c, i);
            }
            sumNanos += (long) LONGS.getOpaque(c, BOUNDS.length);
        }
        return HistogramSnapshot.builder()
                .name(name)
                .help(help)
                .unit(Unit.SECONDS)
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(BOUNDS, counts))
                        .sum(sumNanos / 1e9)
                        .build())
                .build();
    }
}
