package dev.mamori.detectors.alert;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A detection's metadata: its id (as the design contract and the configuration's
 * {@code detectors:} keys write it, e.g. {@code ad.log_cleared}), default severity and MITRE
 * ATT&amp;CK technique (may be null). Title, message and recommendation are looked up by id in the
 * message catalog, so that they follow {@code site.language}; ids never change with it.
 */
public record Rule(String id, Severity severity, String technique) {

    private static final Pattern ID = Pattern.compile("[a-z0-9]+(\\.[a-z0-9_]+)+");

    public Rule {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a rule id: '" + id + "' (area.name in lower case)");
        }
        Objects.requireNonNull(severity, "severity");
    }
}
