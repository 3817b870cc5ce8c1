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
        EnumMap<AlertField, Object> copy = new EnumMap<>(AlertField.class);
        fields.forEach((k, v) -> {
            if (!(v instanceof String) && !(v instanceof Long)) {
                throw new IllegalArgumentException(k.ecsName() + ": value must be String or Long, was "
                        + (v == null ? "null" : v.getClass().getSimpleName()));
            }
            copy.put(k, v);
        });
        fields = Collections.unmodifiableMap(copy);
    }

    /** The same alert with one more field (or that field replaced). */
    public Alert with(AlertField field, Object value) {
        Map<AlertField, Object> more = new EnumMap<>(fields);
        more.put(field, value);
        return new Alert(timestamp, ruleId, ruleName, severity, message, input, recommendation, more);
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
