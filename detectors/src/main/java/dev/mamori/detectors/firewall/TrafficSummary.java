package dev.mamori.detectors.firewall;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The guide's periodic review ("定期的に行うログ分析") as a rolling summary of firewall traffic, per
 * hour: counts by action and direction, top sources, destinations and destination ports, and refused
 * outbound traffic by port (the connect-back picture). Keeps the last {@code hoursKept} hours.
 *
 * <p>Bounded: each per-hour table holds at most {@code maxKeys} distinct keys; later new keys are
 * counted under {@value #OTHER}. Thread-safe: each hour is updated under its own lock, held for a
 * few map updates.
 */
public final class TrafficSummary {

    public static final String OTHER = "(other)";

    /** One row of a top-N table. */
    public record Count(String key, long count) {}

    /** One hour, as served by the API and printed by {@code analyze --summary}. */
    public record Hour(
            Instant start,
            long total,
            Map<String, Map<String, Long>> byActionAndDirection,
            List<Count> topSources,
            List<Count> topDestinations,
            List<Count> topDestinationPorts,
            List<Count> refusedOutboundByPort) {}

    private final int hoursKept;
    private final int maxKeys;
    private final ConcurrentSkipListMap<Instant, Bucket> hours = new ConcurrentSkipListMap<>();

    public TrafficSummary(int hoursKept, int maxKeys) {
        this.hoursKept = hoursKept;
        this.maxKeys = maxKeys;
    }

    public void add(FirewallEvent e, Direction direction, Instant when) {
        Instant hour = when.truncatedTo(ChronoUnit.HOURS);
        Bucket b = hours.computeIfAbsent(hour, h -> new Bucket());
        b.add(e, direction, maxKeys);
        while (hours.size() > hoursKept) {
            hours.pollFirstEntry();
        }
    }

    /** The newest {@code count} hours, newest first, each table cut to {@code top} rows. */
    public List<Hour> recent(int count, int top) {
        List<Hour> out = new ArrayList<>();
        for (Map.Entry<Instant, Bucket> e : hours.descendingMap().entrySet()) {
            if (out.size() >= count) {
                break;
            }
            out.add(e.getValue().view(e.getKey(), top));
        }
        return out;
    }

    private static final class Bucket {
        private long total;
        private final Map<FirewallAction, long[]> byAction = new EnumMap<>(FirewallAction.class);
        private final Map<String, long[]> sources = new HashMap<>();
        private final Map<String, long[]> destinations = new HashMap<>();
        private final Map<String, long[]> ports = new HashMap<>();
        private final Map<String, long[]> refusedOutbound = new HashMap<>();

        synchronized void add(FirewallEvent e, Direction d, int maxKeys) {
            total++;
            byAction.computeIfAbsent(e.action(), a -> new long[Direction.values().length])[d.ordinal()]++;
            bump(sources, e.sourceIp(), maxKeys);
            bump(destinations, e.destinationIp(), maxKeys);
            String port = portKey(e);
            bump(ports, port, maxKeys);
            if (d == Direction.OUTBOUND && e.action().blocked()) {
                bump(refusedOutbound, port, maxKeys);
            }
        }

        private static String portKey(FirewallEvent e) {
            String proto = e.protocol() == null ? "?" : e.protocol();
            return e.destinationPort() < 0 ? proto : e.destinationPort() + "/" + proto;
        }

        /** A counter array per key, not a boxed Long per line: every firewall line bumps four. */
        private static void bump(Map<String, long[]> table, String key, int maxKeys) {
            long[] count = table.get(key);
            if (count == null) {
                count = table.computeIfAbsent(table.size() < maxKeys ? key : OTHER, k -> new long[1]);
            }
            count[0]++;
        }

        synchronized Hour view(Instant start, int top) {
            Map<String, Map<String, Long>> actions = new LinkedHashMap<>();
            for (Map.Entry<FirewallAction, long[]> a : byAction.entrySet()) {
                Map<String, Long> dirs = new LinkedHashMap<>();
                for (Direction d : Direction.values()) {
                    if (a.getValue()[d.ordinal()] > 0) {
                        dirs.put(d.label(), a.getValue()[d.ordinal()]);
                    }
                }
                actions.put(a.getKey().label(), dirs);
            }
            return new Hour(
                    start,
                    total,
                    actions,
                    top(sources, top),
                    top(destinations, top),
                    top(ports, top),
                    top(refusedOutbound, top));
        }

        private static List<Count> top(Map<String, long[]> table, int n) {
            return table.entrySet().stream()
                    .map(e -> new Count(e.getKey(), e.getValue()[0]))
                    .sorted(Comparator.comparingLong(Count::count).reversed().thenComparing(Count::key))
                    .limit(n)
                    .toList();
        }
    }
}
