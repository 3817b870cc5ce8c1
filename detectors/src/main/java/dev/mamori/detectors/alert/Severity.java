package dev.mamori.detectors.alert;

import java.util.Locale;

/** Alert severities, in increasing order; {@link #label()} is the contract value of {@code rule.severity}. */
public enum Severity {
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label; // asked several times per alert
    }

    /** One level more severe, capped at critical (used e.g. for off-hours access). */
    public Severity raised() {
        return this == CRITICAL ? CRITICAL : values()[ordinal() + 1];
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    /** Parses a contract label ({@code low}, {@code medium}, ...), case-insensitively. */
    public static Severity fromLabel(String label) {
        for (Severity s : values()) {
            if (s.label().equalsIgnoreCase(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown severity '" + label + "' (low, medium, high, critical)");
    }
}
