package dev.mamori.sensor.review;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts by key, bounded: past {@code capacity} distinct keys, new keys are counted under
 * {@link #OTHER}, so a scan across a million ports costs a fixed amount of memory and still shows
 * in the totals. Not thread-safe: {@link DayReview} guards it.
 */
final class TopCounts {

    /** The key that gathers what did not fit. */
    static final String OTHER = "(other)";

    private final int capacity;
    /** A counter array per key rather than a boxed Long per addition: alerts and requests add here. */
    private final Map<String, long[]> counts = new HashMap<>();

    TopCounts(int capacity) {
        this.capacity = capacity;
    }

    void add(String key, long n) {
        if (key == null || key.isEmpty()) {
            return;
        }
        long[] count = counts.get(key);
        if (count == null) {
            count = counts.computeIfAbsent(counts.size() >= capacity ? OTHER : key, k -> new long[1]);
        }
        count[0] += n;
    }

    void addAll(Map<String, Long> other) {
        if (other != null) {
            other.forEach(this::add);
        }
    }

    long get(String key) {
        long[] count = counts.get(key);
        return count == null ? 0 : count[0];
    }

    /** The {@code n} largest, largest first (ties by key), {@link #OTHER} last when present. */
    List<Map.Entry<String, Long>> top(int n) {
        return top(toMap(), n);
    }

    static List<Map.Entry<String, Long>> top(Map<String, Long> counts, int n) {
        List<Map.Entry<String, Long>> all = new ArrayList<>();
        Map.Entry<String, Long> other = null;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (e.getKey().equals(OTHER)) {
                other = Map.entry(e.getKey(), e.getValue());
            } else {
                all.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        all.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<Map.Entry<String, Long>> out = new ArrayList<>(all.subList(0, Math.min(n, all.size())));
        if (other != null) {
            out.add(other);
        }
        return out;
    }

    Map<String, Long> toMap() {
        Map<String, Long> out = new HashMap<>();
        counts.forEach((k, v) -> out.put(k, v[0]));
        return Map.copyOf(out);
    }
}
