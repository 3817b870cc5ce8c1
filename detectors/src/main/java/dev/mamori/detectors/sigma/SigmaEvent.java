package dev.mamori.detectors.sigma;

import java.util.Locale;
import java.util.Map;

/**
 * An event as Sigma rules read it: a field by its Sigma name, after the logsource's field mapping
 * (e.g. Security 4688's {@code NewProcessName} read as {@code Image}). Names are looked up as
 * written, then case-insensitively, as Sigma backends for Windows events do.
 */
public interface SigmaEvent {

    /** The field's value, or null when the event has no such field. */
    String field(String name);

    /** Every value, for keyword searches. */
    Iterable<String> values();

    /** A view of a map of fields. */
    static SigmaEvent of(Map<String, String> fields) {
        return new SigmaEvent() {
            @Override
            public String field(String name) {
                String v = fields.get(name);
                if (v != null || fields.isEmpty()) {
                    return v;
                }
                for (Map.Entry<String, String> e : fields.entrySet()) {
                    if (e.getKey().equalsIgnoreCase(name)) {
                        return e.getValue();
                    }
                }
                return null;
            }

            @Override
            public Iterable<String> values() {
                return fields.values();
            }

            @Override
            public String toString() {
                return fields.toString().toLowerCase(Locale.ROOT);
            }
        };
    }
}
