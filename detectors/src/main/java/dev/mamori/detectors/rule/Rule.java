package dev.mamori.detectors.rule;

import dev.mamori.detectors.alert.Severity;
import java.util.Objects;

/**
 * A detection's metadata: its id, default severity and MITRE ATT&amp;CK technique (may be null).
 * Title, message and recommendation are looked up by id in the message catalog, so that they follow
 * {@code site.language}.
 */
public record Rule(RuleId id, Severity severity, String technique) {
    public Rule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
    }
}
