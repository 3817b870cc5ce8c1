package dev.mamori.detectors.sigma;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An event as Sigma rules read it: a field by its Sigma name, after the logsource's field mapping
 * (e.g. Security 4688's {@code NewProcessName} read as {@code Image}). Names are looked up as
 * written, then case-insensitively, as Sigma backends for Windows events do. One view serves all
 * the rules shown one event, so what it works out (a name's case-insensitive match, a value in
 * lower case) it works out once. Not thread-safe: one per event.
 */
public interface SigmaEvent {

    /** The field's value, or null when the event has no such field. */
    String field(String name);

    /** Every value, for keyword searches. */
    Iterable<String> values();

    /**
     * The field's value in lower case, or null; read once per event and field, since most rules
     * compare case-insensitively and many rules read the same fields.
     */
    String lower(String name);

    /** {@link #field(String)} for a field whose {@linkplain FieldSlots slot} is known. */
    default String field(int slot, String name) {
        return field(name);
    }

    /** {@link #lower(String)} for a field whose {@linkplain FieldSlots slot} is known. */
    default String lower(int slot, String name) {
        return lower(name);
    }

    /** A view of a map of fields. */
    static SigmaEvent of(Map<String, String> fields) {
        return new MapEvent(fields);
    }

    /**
     * The caches every view shares: a subclass answers exact names ({@link #exact}) cheaply and
     * lists all its fields ({@link #all}) only when a name must be matched case-insensitively or
     * every value is searched.
     */
    abstract class Cached implements SigmaEvent {
        private static final String ABSENT = new String("absent");

        private Map<String, String> resolved;
        private final Map<String, String> lowered = new HashMap<>();
        /** By slot: a field's value and its lower case, once read (null: not read yet). */
        private String[] slotValues = new String[FieldSlots.count()];

        private String[] slotLowered = new String[FieldSlots.count()];

        /** The value of a field named exactly so, or null. */
        protected abstract String exact(String name);

        /** Every field. */
        protected abstract Map<String, String> all();

        /** The value of a field whose name equals {@code name} but for case, or null. */
        protected String caseless(String name) {
            for (Map.Entry<String, String> f : all().entrySet()) {
                if (f.getKey().equalsIgnoreCase(name)) {
                    return f.getValue();
                }
            }
            return null;
        }

        @Override
        public String field(String name) {
            String v = exact(name);
            if (v != null) {
                return v;
            }
            if (resolved == null) {
                resolved = new HashMap<>();
            }
            String r = resolved.get(name);
            if (r == null) {
                String found = caseless(name);
                r = found == null ? ABSENT : found;
                resolved.put(name, r);
            }
            return r == ABSENT ? null : r;
        }

        @Override
        public Iterable<String> values() {
            return all().values();
        }

        @Override
        public String field(int slot, String name) {
            if (slot >= slotValues.length) {
                grow();
            }
            String v = slotValues[slot];
            if (v == null) {
                v = field(name);
                slotValues[slot] = v == null ? ABSENT : v;
                return v;
            }
            return v == ABSENT ? null : v;
        }

        @Override
        public String lower(int slot, String name) {
            if (slot >= slotLowered.length) {
                grow();
            }
            String l = slotLowered[slot];
            if (l == null) {
                String v = field(slot, name);
                l = v == null ? ABSENT : v.toLowerCase(Locale.ROOT);
                slotLowered[slot] = l;
            }
            return l == ABSENT ? null : l;
        }

        private void grow() {
            int n = Math.max(FieldSlots.count(), slotValues.length);
            slotValues = java.util.Arrays.copyOf(slotValues, n);
            slotLowered = java.util.Arrays.copyOf(slotLowered, n);
        }

        @Override
        public String lower(String name) {
            String l = lowered.get(name);
            if (l == null) {
                String v = field(name);
                l = v == null ? ABSENT : v.toLowerCase(Locale.ROOT);
                lowered.put(name, l);
            }
            return l == ABSENT ? null : l;
        }
    }

    /** The map view. */
    final class MapEvent extends Cached {
        private final Map<String, String> fields;

        MapEvent(Map<String, String> fields) {
            this.fields = fields;
        }

        @Override
        protected String exact(String name) {
            return fields.get(name);
        }

        @Override
        protected Map<String, String> all() {
            return fields;
        }
    }
}
