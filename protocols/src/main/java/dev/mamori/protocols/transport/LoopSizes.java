package dev.mamori.protocols.transport;

import java.util.Map;
import java.util.TreeMap;

/**
 * How many event loops serve the listeners: {@code shared} loops for every listener not named in
 * {@code own}, and a group of its own, of the size given, for each listener that is (inputs want
 * different counts; idle loops cost nothing). The sensor's configuration decides the sizes.
 */
public record LoopSizes(int shared, Map<String, Integer> own) {

    public LoopSizes {
        if (shared < 1) {
            throw new IllegalArgumentException("shared loops must be at least 1, was " + shared);
        }
        own.forEach((listener, n) -> {
            if (n < 1) {
                throw new IllegalArgumentException(listener + ": loops must be at least 1, was " + n);
            }
        });
        own = Map.copyOf(own);
    }

    /** One group of {@code n} loops for every listener. */
    public static LoopSizes shared(int n) {
        return new LoopSizes(n, Map.of());
    }

    /** The loops {@code listener}'s connections are served by. */
    public int of(String listener) {
        return own.getOrDefault(listener, shared);
    }

    /** As the start-up line says it: "1 event loop", "2 event loops, 4 for icap". */
    public String describe() {
        StringBuilder b = new StringBuilder().append(shared).append(shared == 1 ? " event loop" : " event loops");
        new TreeMap<>(own)
                .forEach((listener, n) ->
                        b.append(", ").append(n).append(" for ").append(listener));
        return b.toString();
    }
}
