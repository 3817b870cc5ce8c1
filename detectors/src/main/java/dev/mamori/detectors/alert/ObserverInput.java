package dev.mamori.detectors.alert;

import java.util.Locale;

/** Which input observed the event behind an alert: the contract values of {@code observer.input}. */
public enum ObserverInput {
    SYSLOG,
    SMTP,
    ICAP,
    FILE;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label; // asked several times per alert
    }
}
