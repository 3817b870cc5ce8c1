package dev.mamori.detectors.alert;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds alerts for detections: fills name, message and recommendation from the catalog of the
 * configured language, and the rule's default severity and ATT&amp;CK technique. Detections receive
 * one through their constructor.
 */
public final class AlertFactory {

    private final MessageCatalog catalog;
    private final Clock clock;

    public AlertFactory(MessageCatalog catalog, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog);
        this.clock = Objects.requireNonNull(clock);
    }

    public MessageCatalog catalog() {
        return catalog;
    }

    public Builder alert(Rule rule, ObserverInput input) {
        return new Builder(rule, input);
    }

    /** Collects one alert's variable parts; {@link #build()} may be called once. */
    public final class Builder {
        private final Rule rule;
        private final ObserverInput input;
        private final Map<AlertField, Object> fields = new EnumMap<>(AlertField.class);
        private Severity severity;
        private Instant timestamp;
        private Object[] messageArgs = new Object[0];
        private String variant;

        private Builder(Rule rule, ObserverInput input) {
            this.rule = Objects.requireNonNull(rule);
            this.input = Objects.requireNonNull(input);
            this.severity = rule.severity();
            if (rule.technique() != null) {
                fields.put(AlertField.THREAT_TECHNIQUE_ID, rule.technique());
            }
        }

        /** When the event happened; the current time if never set. */
        public Builder at(Instant when) {
            this.timestamp = when;
            return this;
        }

        public Builder severity(Severity s) {
            this.severity = Objects.requireNonNull(s);
            return this;
        }

        /** Sets a field; null or blank values are left out, as the contract says "as the event has them". */
        public Builder field(AlertField field, String value) {
            if (value != null && !value.isBlank()) {
                fields.put(field, value);
            }
            return this;
        }

        public Builder field(AlertField field, long value) {
            fields.put(field, value);
            return this;
        }

        /** Arguments for the catalog's message template, in placeholder order. */
        public Builder args(Object... args) {
            this.messageArgs = args.clone();
            return this;
        }

        /** Words the alert with the rule's {@code message.<variant>} template (the plain message without one). */
        public Builder variant(String name) {
            this.variant = name;
            return this;
        }

        public Alert build() {
            String id = rule.id();
            return new Alert(
                    timestamp != null ? timestamp : clock.instant(),
                    id,
                    catalog.name(id),
                    severity,
                    catalog.variantMessage(id, variant, messageArgs),
                    input,
                    catalog.recommendation(id),
                    fields);
        }
    }
}
