package dev.mamori.detectors.sigma;

import dev.mamori.detectors.alert.Severity;
import java.nio.file.Path;
import java.util.List;

/** A loaded Sigma document: a detection rule or a correlation rule, with the metadata both carry. */
public sealed interface SigmaItem permits SigmaRule, SigmaCorrelation {

    /** The rule's id (for a correlation without one, its name). */
    String id();

    /** The rule's {@code name}, by which correlations may refer to it; null when it has none. */
    String name();

    String title();

    String description();

    String status();

    /** The level as written (informational, low, ...). */
    String levelName();

    Severity level();

    /** ATT&amp;CK technique ids from its {@code attack.tNNNN} tags. */
    List<String> techniques();

    Path file();
}
