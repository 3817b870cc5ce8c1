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

    /** A view of a map of fields. */
    static SigmaEvent of(Map<String, String> fields) {
        return new MapEvent(fields);
    }

    /** The map view, with its per-event caches. */
    final class MapEvent implements SigmaEvent {
        private static final String ABSENT = new String("absent");

        private final Map<String, String> fields;
        private Map<String, String> byLowerName;
        private final Map<String, String> resolved = new HashMap<>();
        private final Map<String, String> lowered = new HashMap<>();

        MapEvent(Map<String, String> fields) {
            this.fields = fields;
        }

        @Override
        public String field(String name) {
            String v = fields.get(name);
            if (v != null) {
                return v;
            }
            String r = resolved.get(name);
            if (r == null) {
                if (byLowerName == null) {
                    byLowerName = new HashMap<>();
                    fields.forEach((k, val) -> byLowerName.putIfAbsent(k.toLowerCase(Locale.ROOT), val));
                }
                String found = byLowerName.get(name.toLowerCase(Locale.ROOT));
                r = found == null ? ABSENT : found;
                resolved.put(name, r);
            }
            return r == ABSENT ? null : r;
        }

        @Override
        public Iterable<String> values() {
            return fields.values();
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
}
