package dev.mamori.detectors.alert;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One alert, as the design contract defines it. The always-present fields are components; the
 * optional ECS fields live in {@link #fields()}, whose values are {@link String} or {@link Long}.
 * Instances come from {@link AlertFactory}, which renders name, message and recommendation in the
 * configured language.
 */
public record Alert(
        Instant timestamp,
        String ruleId,
        String ruleName,
        Severity severity,
        String message,
        ObserverInput input,
        String recommendation,
        Map<AlertField, Object> fields) {

    public Alert {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(ruleName, "ruleName");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(recommendation, "recommendation");
        fields = Collections.unmodifiableMap(copy(fields, null, null));
    }

    private static final AlertField[] FIELDS = AlertField.values();

    /**
     * The fields, checked, as a new map (with {@code extra} set to {@code value} when given). Read
     * field by field rather than through {@code entrySet}: an {@link EnumMap} makes an entry object
     * a field there, and every alert is copied at least once.
     */
    private static EnumMap<AlertField, Object> copy(Map<AlertField, Object> fields, AlertField extra, Object value) {
        if (extra != null && value == null) {
            throw nullValue(extra);
        }
        EnumMap<AlertField, Object> copy = new EnumMap<>(AlertField.class);
        for (AlertField f : FIELDS) {
            Object v = f == extra ? value : fields.get(f);
            if (v == null) {
                continue;
            }
            if (!(v instanceof String) && !(v instanceof Long)) {
                throw new IllegalArgumentException(f.ecsName() + ": value must be String or Long, was "
                        + v.getClass().getSimpleName());
            }
            copy.put(f, v);
        }
        if (copy.size() < fields.size() + (extra == null || fields.containsKey(extra) ? 0 : 1)) {
            // Only a key held with a null value (or a null key) goes missing on the way.
            for (Map.Entry<AlertField, Object> e : fields.entrySet()) {
                if (e.getKey() == null) {
                    throw new IllegalArgumentException("fields: a null key");
                }
                if (e.getValue() == null && e.getKey() != extra) {
                    throw nullValue(e.getKey());
                }
            }
        }
        return copy;
    }

    private static IllegalArgumentException nullValue(AlertField f) {
        return new IllegalArgumentException(f.ecsName() + ": value must be String or Long, was null");
    }

    /** The same alert with one more field (or that field replaced). */
    public Alert with(AlertField field, Object value) {
        return new Alert(
                timestamp, ruleId, ruleName, severity, message, input, recommendation, copy(fields, field, value));
    }

    /** The same alert at another severity, its message ending in {@code note}. */
    public Alert escalated(Severity to, String note) {
        return new Alert(timestamp, ruleId, ruleName, to, message + note, input, recommendation, fields);
    }

    /** The value of an optional field, or {@code null}. */
    public Object field(AlertField field) {
        return fields.get(field);
    }
}
