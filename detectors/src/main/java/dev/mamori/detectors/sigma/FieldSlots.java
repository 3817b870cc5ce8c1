package dev.mamori.detectors.sigma;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Field names as small numbers, given when rules are compiled, so an event view caches what it has
 * read for a field in an array slot rather than a per-event hash map (every rule shown an event reads
 * through that cache). Names are the rules' own; they only grow with the rule files loaded.
 */
final class FieldSlots {

    private static final ConcurrentHashMap<String, Integer> SLOTS = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT = new AtomicInteger();

    private FieldSlots() {}

    static int of(String name) {
        return SLOTS.computeIfAbsent(name, n -> NEXT.getAndIncrement());
    }

    /** Slots given so far (a view sizes its cache by this, and grows it for later ones). */
    static int count() {
        return NEXT.get();
    }
}
