package dev.mamori.detectors.alert;

import java.util.Locale;

/** Which input observed the event behind an alert: the contract values of {@code observer.input}. */
public enum ObserverInput {
    SYSLOG,
    SMTP,
    ICAP,
    FILE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
