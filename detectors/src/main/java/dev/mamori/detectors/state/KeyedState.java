package dev.mamori.detectors.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The bounded keyed state every stateful detection keeps (one entry per client, account, source or
 * pair of them): at most {@code maxKeys} entries; a new key past the bound is not tracked and is
 * counted ({@link #dropped()}, exported as {@code mamori_detection_keys_dropped_total}); idle entries
 * are evicted by the detection's own rule ({@link #evictIf}); and the state of all keys, or only of
 * the keys of some partitions (what one instance hands another when a key moves), can be taken out
 * and put back ({@link #snapshot}, {@link #restore}).
 *
 * <p>Thread-safe: any input thread may call it. A value that is itself mutable is guarded by the
 * detection (the usual way: synchronise on the value).
 *
 * @param <K> the key; {@code partition} names the part of it a partitioned deployment routes by
 *     (the client address, the account)
 * @param <V> the value
 */
public final class KeyedState<K, V> {

    private final int maxKeys;
    private final Function<? super K, String> partition;
    private final Map<K, V> entries = new ConcurrentHashMap<>();
    private final LongAdder dropped = new LongAdder();

    /**
     * @param partition the partition a key belongs to, for {@link #snapshot(Predicate, BiFunction)}
     */
    public KeyedState(int maxKeys, Function<? super K, String> partition) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1, was " + maxKeys);
        }
        this.maxKeys = maxKeys;
        this.partition = partition;
    }

    /**
     * Whether the current event may change {@code key}'s state here ({@link Ownership}): always, but
     * when instances share keys and the key belongs to another partition than the event's copy.
     */
    public boolean owns(K key) {
        return Ownership.owns(partition.apply(key));
    }

    public V get(K key) {
        return entries.get(key);
    }

    /**
     * The value of {@code key}, made by {@code create} when absent; null when the key is new and the
     * state is full (then counted as dropped).
     */
    public V getOrCreate(K key, Function<? super K, ? extends V> create) {
        V v = entries.get(key);
        if (v != null) {
            return v;
        }
        if (entries.size() >= maxKeys) {
            dropped.increment();
            return null;
        }
        return entries.computeIfAbsent(key, create);
    }

    /**
     * Sets the value of {@code key}.
     *
     * @return false when the key is new and the state is full (counted as dropped)
     */
    public boolean put(K key, V value) {
        if (!entries.containsKey(key) && entries.size() >= maxKeys) {
            dropped.increment();
            return false;
        }
        entries.put(key, value);
        return true;
    }

    /**
     * Recomputes the value of {@code key} atomically ({@link Map#compute} semantics: null removes).
     *
     * @return false, without calling {@code remap}, when the key is new and the state is full
     */
    public boolean compute(K key, BiFunction<? super K, ? super V, ? extends V> remap) {
        if (!entries.containsKey(key) && entries.size() >= maxKeys) {
            dropped.increment();
            return false;
        }
        entries.compute(key, remap);
        return true;
    }

    public V remove(K key) {
        return entries.remove(key);
    }

    /** Removes the entries {@code idle} says are done with; returns how many. */
    public int evictIf(BiPredicate<? super K, ? super V> idle) {
        int[] n = {0};
        entries.entrySet().removeIf(e -> {
            boolean gone = idle.test(e.getKey(), e.getValue());
            n[0] += gone ? 1 : 0;
            return gone;
        });
        return n[0];
    }

    /** Removes the entries of the partitions {@code partitions} accepts; returns how many. */
    public int forget(Predicate<String> partitions) {
        return evictIf((k, v) -> partitions.test(partition.apply(k)));
    }

    /** Removes {@code key} only while it still maps to {@code value}. */
    public boolean remove(K key, V value) {
        return entries.remove(key, value);
    }

    public void forEach(BiConsumer<? super K, ? super V> action) {
        entries.forEach(action);
    }

    public void clear() {
        entries.clear();
    }

    public int size() {
        return entries.size();
    }

    public boolean isFull() {
        return entries.size() >= maxKeys;
    }

    /** New keys that were not tracked because the state was full. */
    public long dropped() {
        return dropped.sum();
    }

    /**
     * The entries of the partitions {@code partitions} accepts, each turned into a snapshot record.
     * {@code entry} may return null to leave an entry out.
     */
    public <S> List<S> snapshot(Predicate<String> partitions, BiFunction<? super K, ? super V, S> entry) {
        List<S> out = new ArrayList<>();
        entries.forEach((k, v) -> {
            if (partitions.test(partition.apply(k))) {
                S s = entry.apply(k, v);
                if (s != null) {
                    out.add(s);
                }
            }
        });
        return out;
    }

    /**
     * Puts back one entry of a snapshot. Bounded like any other: past the bound it is not kept.
     *
     * @return whether it was kept
     */
    public boolean restore(K key, V value) {
        return put(key, value);
    }
}
