package dev.mamori.detectors.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds repeats of one thing into one alert. The first occurrence of a key opens a burst and is
 * reported at once ({@link #record} returns true: alert now); later occurrences within the window
 * are only counted. When the window has passed, {@link #expire} hands back every burst that
 * swallowed repeats, with the count, first and last time and the last event, for one follow-up
 * alert. So a source denied 500 times in five minutes makes two alerts, not 500.
 *
 * <p>Thread-safe (any input thread may record; expiry runs on a timer). Bounded by
 * {@code maxKeys}: when full, the oldest-expired bursts are flushed first, and if that frees no room
 * the occurrence is reported unaggregated and counted in {@link #overflows()}.
 *
 * @param <K> what makes two occurrences "the same" (e.g. source address and severity)
 * @param <E> the event kept as the example for the follow-up alert
 */
public final class BurstAggregator<K, E> {

    /** A closed burst that suppressed {@code repeats} occurrences after the first. */
    public record Burst<K, E>(K key, long repeats, Instant first, Instant last, E lastEvent) {}

    private static final class Open<E> {
        final Instant start;
        long repeats;
        Instant last;
        E lastEvent;

        Open(Instant start) {
            this.start = start;
            this.last = start;
        }
    }

    private final Duration window;
    private final KeyedState<K, Open<E>> open;

    public BurstAggregator(Duration window, int maxKeys) {
        this.window = window;
        this.open = new KeyedState<>(maxKeys, String::valueOf);
    }

    /**
     * Records one occurrence at {@code time}.
     *
     * @param closed receives the previous burst of this key when this occurrence starts a new one
     *     and the previous burst had repeats (so its follow-up is not lost)
     * @return true when this occurrence opens a burst and should be alerted now
     */
    public boolean record(K key, Instant time, E event, List<Burst<K, E>> closed) {
        if (open.isFull() && open.get(key) == null) {
            closed.addAll(expire(time));
        }
        boolean[] first = {false};
        boolean tracked = open.compute(key, (k, o) -> {
            if (o != null && time.isBefore(o.start.plus(window))) {
                o.repeats++;
                if (time.isAfter(o.last)) {
                    o.last = time;
                }
                o.lastEvent = event;
                return o;
            }
            if (o != null && o.repeats > 0) {
                closed.add(burst(key, o));
            }
            first[0] = true;
            return new Open<>(time);
        });
        return !tracked || first[0];
    }

    /** Closes every burst whose window ended before {@code now}; returns those with repeats. */
    public List<Burst<K, E>> expire(Instant now) {
        List<Burst<K, E>> out = new ArrayList<>();
        open.forEach((k, o) -> {
            if (!now.isBefore(o.start.plus(window)) && open.remove(k, o) && o.repeats > 0) {
                out.add(burst(k, o));
            }
        });
        return out;
    }

    /** Closes every burst (end of an offline run, shutdown). */
    public List<Burst<K, E>> drain() {
        return expire(Instant.MAX);
    }

    public int size() {
        return open.size();
    }

    /** Occurrences reported unaggregated because the table was full. */
    public long overflows() {
        return open.dropped();
    }

    private Burst<K, E> burst(K key, Open<E> o) {
        return new Burst<>(key, o.repeats, o.start, o.last, o.lastEvent);
    }
}
