package dev.mamori.detectors.state;

import java.util.function.Predicate;

/**
 * Which partition keys the calling thread's current event may change state for. Unset (the single
 * appliance, {@code analyze}), every key is owned. When several instances share the work, an event
 * that feeds state under two keys (an account and a source) reaches the partition of each; the
 * input sets, for the records of one partition, the keys that partition holds, so each half of the
 * state is changed exactly once, where it lives ({@link KeyedState#owns}).
 */
public final class Ownership {
    private Ownership() {}

    private static final ThreadLocal<Predicate<String>> OWNED = new ThreadLocal<>();

    /** Owns the keys {@code owned} accepts until {@link #clear}. */
    public static void set(Predicate<String> owned) {
        OWNED.set(owned);
    }

    public static void clear() {
        OWNED.remove();
    }

    /** Whether the current event may change state kept under partition key {@code key}. */
    public static boolean owns(String key) {
        Predicate<String> p = OWNED.get();
        return p == null || key == null || p.test(key);
    }
}
