package dev.mamori.detectors.sigma;

import dev.mamori.detectors.sigma.SigmaCorrelation.Type;
import dev.mamori.detectors.state.KeyedState;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One correlation rule's streaming state: per group (the values of its {@code group-by} fields) a
 * window of the matches of its rules, in the bounded {@link KeyedState} every stateful detection
 * keeps. A condition with only a lower bound ({@code gte: 10}) is judged on each match over the
 * sliding {@code timespan} before it, and fires as soon as it holds; any other condition (an upper
 * bound, {@code eq}, a range) can only be judged once the window is over, so a group's window opens
 * with its first match and is judged {@code timespan} later. Either way a group that fired starts
 * afresh, so one burst is one alert. Times are what the engine gives (its time basis); matches are taken in arrival order.
 * Thread-safe: a group is guarded by its own lock.
 */
final class CorrelationState {

    /** Matches kept per group and rule for the temporal types (the latest ones, which are the useful ones). */
    private static final int TEMPORAL_DEPTH = 64;

    /** A correlation that held: when, for which group, what was counted, and the last event in it. */
    record Fired(Instant time, Map<String, String> group, String counted, Evidence evidence) {}

    private final SigmaCorrelation def;
    private final List<SigmaItem> members;
    private final long span;
    private final KeyedState<List<String>, Group> groups;

    CorrelationState(SigmaCorrelation def, List<SigmaItem> members, int maxKeys) {
        this.def = def;
        this.members = members;
        this.span = def.timespan().toMillis();
        this.groups = new KeyedState<>(maxKeys, k -> String.join("|", k));
    }

    SigmaCorrelation definition() {
        return def;
    }

    List<SigmaItem> members() {
        return members;
    }

    int trackedKeys() {
        return groups.size();
    }

    long keysDropped() {
        return groups.dropped();
    }

    /**
     * A match of member {@code member}; what fired, or null. {@code fields} reads the matched event
     * (or, for a correlation, its group values).
     */
    Fired hit(int member, SigmaEvent fields, Instant time, Evidence evidence) {
        SigmaItem item = members.get(member);
        List<String> key = new ArrayList<>(def.groupBy().size());
        for (String g : def.groupBy()) {
            String v = fields.field(def.groupField(g, item));
            if (v == null) {
                return null; // as aggregations do: an event without a group-by field is in no group
            }
            key.add(v);
        }
        String value = null;
        double number = 1;
        if (def.type() == Type.VALUE_COUNT || def.type() == Type.VALUE_SUM || def.type() == Type.VALUE_AVG) {
            value = fields.field(def.groupField(def.condition().field(), item));
            if (value == null) {
                return null;
            }
            if (def.type() != Type.VALUE_COUNT) {
                try {
                    number = Double.parseDouble(value.strip());
                } catch (NumberFormatException notNumber) {
                    return null;
                }
            }
        }
        List<String> k = List.copyOf(key);
        long t = time.toEpochMilli();
        while (true) {
            Group g = groups.getOrCreate(k, x -> new Group());
            if (g == null) {
                return null; // state full: counted as dropped
            }
            synchronized (g) {
                if (g.evicted) {
                    continue; // the tick took it away meanwhile: start the group again
                }
                Fired fired = g.add(key, member, t, value, number, evidence);
                if (fired != null) {
                    g.reset();
                }
                return fired;
            }
        }
    }

    /** Judges the windows that have closed by {@code now} and forgets groups with nothing left in their span. */
    List<Fired> tick(Instant now) {
        long t = now.toEpochMilli();
        List<Fired> out = new ArrayList<>();
        groups.evictIf((key, g) -> {
            synchronized (g) {
                if (!def.condition().rising() && g.open && t >= g.start + span) {
                    Fired f = g.judge(key, g.lastTime);
                    if (f != null) {
                        out.add(f);
                    }
                    g.evicted = true;
                    return true;
                }
                g.evicted = g.lastTime < t - span;
                return g.evicted;
            }
        });
        return out;
    }

    /** The end of the input: windows still open are judged on what they hold. */
    List<Fired> drain() {
        List<Fired> out = new ArrayList<>();
        if (!def.condition().rising()) {
            groups.forEach((key, g) -> {
                synchronized (g) {
                    if (g.open) {
                        Fired f = g.judge(key, g.lastTime);
                        if (f != null) {
                            out.add(f);
                        }
                    }
                }
            });
        }
        groups.clear();
        return out;
    }

    /** An entry of a count, sum or average window: matches merged once the window is full. */
    private static final class Entry {
        long time;
        double sum;
        long n;

        Entry(long time, double sum, long n) {
            this.time = time;
            this.sum = sum;
            this.n = n;
        }
    }

    private final class Group {
        /** Taken out of the state by a tick: a hit that still holds it must start a new one. */
        boolean evicted;

        boolean open;
        long start;
        long lastTime = Long.MIN_VALUE;
        Evidence last;
        final ArrayDeque<Entry> entries = new ArrayDeque<>();
        final LinkedHashMap<String, Long> values = new LinkedHashMap<>(16, 0.75f, true);

        final List<ArrayDeque<Long>> hits = new ArrayList<>(java.util.Collections.nCopies(members.size(), null));

        Fired add(List<String> key, int member, long t, String value, double number, Evidence evidence) {
            boolean rising = def.condition().rising();
            Fired closed = null;
            if (!rising && open && t >= start + span) {
                closed = judge(key, lastTime);
                reset();
            }
            if (!open) {
                open = true;
                start = t;
            }
            lastTime = Math.max(lastTime, t);
            last = evidence;
            long from = lastTime - span;
            switch (def.type()) {
                case EVENT_COUNT, VALUE_SUM, VALUE_AVG -> {
                    if (rising) {
                        while (!entries.isEmpty() && entries.peekFirst().time < from) {
                            entries.pollFirst();
                        }
                    }
                    entries.addLast(new Entry(t, number, 1));
                    if (entries.size() > SigmaCorrelation.MAX_COUNT) {
                        // bounded: the two oldest become one, kept as long as the later of them
                        Entry a = entries.pollFirst();
                        Entry b = entries.peekFirst();
                        b.sum += a.sum;
                        b.n += a.n;
                        b.time = Math.max(a.time, b.time);
                    }
                }
                case VALUE_COUNT -> {
                    values.put(value, t);
                    if (rising) {
                        Iterator<Map.Entry<String, Long>> it = values.entrySet().iterator();
                        while (it.hasNext()) {
                            if (it.next().getValue() < from) {
                                it.remove();
                            }
                        }
                    }
                    if (values.size() > SigmaCorrelation.MAX_COUNT + 1) {
                        Iterator<String> eldest = values.keySet().iterator();
                        eldest.next();
                        eldest.remove();
                    }
                }
                case TEMPORAL, TEMPORAL_ORDERED -> {
                    if (hits.get(member) == null) {
                        hits.set(member, new ArrayDeque<>());
                    }
                    ArrayDeque<Long> h = hits.get(member);
                    h.addLast(t);
                    if (h.size() > TEMPORAL_DEPTH) {
                        h.pollFirst();
                    }
                    for (ArrayDeque<Long> q : hits) {
                        while (q != null && !q.isEmpty() && q.peekFirst() < from) {
                            q.pollFirst();
                        }
                    }
                    if (def.type() == Type.TEMPORAL_ORDERED && member != members.size() - 1) {
                        return closed;
                    }
                }
            }
            if (closed != null) {
                return closed;
            }
            return rising ? judge(key, t) : null;
        }

        /** What fired for this group, judged on what it holds now, or null. */
        Fired judge(List<String> key, long at) {
            double measured;
            String counted;
            switch (def.type()) {
                case EVENT_COUNT -> {
                    measured = entries.stream().mapToLong(e -> e.n).sum();
                    counted = SigmaCorrelation.format(measured) + " events";
                }
                case VALUE_SUM, VALUE_AVG -> {
                    double sum = entries.stream().mapToDouble(e -> e.sum).sum();
                    long n = entries.stream().mapToLong(e -> e.n).sum();
                    measured = def.type() == Type.VALUE_SUM ? sum : n == 0 ? 0 : sum / n;
                    counted = (def.type() == Type.VALUE_SUM ? "sum " : "average ")
                            + SigmaCorrelation.format(measured) + " of "
                            + def.condition().field()
                            + " over " + n + " events";
                }
                case VALUE_COUNT -> {
                    measured = values.size();
                    counted = values.size() + " distinct values of "
                            + def.condition().field();
                }
                case TEMPORAL -> {
                    int present = 0;
                    for (ArrayDeque<Long> q : hits) {
                        present += q != null && !q.isEmpty() ? 1 : 0;
                    }
                    measured = present;
                    counted = present + " of " + members.size() + " rules";
                }
                default -> {
                    measured = ordered() ? members.size() : 0;
                    counted = members.size() + " rules in order";
                }
            }
            if (!def.condition().test(measured)) {
                return null;
            }
            Map<String, String> group = new LinkedHashMap<>();
            for (int i = 0; i < key.size(); i++) {
                group.put(def.groupBy().get(i), key.get(i));
            }
            return new Fired(Instant.ofEpochMilli(at), group, counted, last);
        }

        /** Whether the rules matched in order: each at or before a later one's match, all within the span. */
        private boolean ordered() {
            long bound = Long.MAX_VALUE;
            for (int i = members.size() - 1; i >= 0; i--) {
                ArrayDeque<Long> q = hits.get(i);
                if (q == null) {
                    return false;
                }
                long chosen = Long.MIN_VALUE;
                for (Iterator<Long> it = q.descendingIterator(); it.hasNext(); ) {
                    long h = it.next();
                    if (h <= bound) {
                        chosen = h;
                        break;
                    }
                }
                if (chosen == Long.MIN_VALUE) {
                    return false;
                }
                bound = chosen;
            }
            return lastTime - bound <= span;
        }

        void reset() {
            open = false;
            entries.clear();
            values.clear();
            java.util.Collections.fill(hits, null);
        }
    }
}
