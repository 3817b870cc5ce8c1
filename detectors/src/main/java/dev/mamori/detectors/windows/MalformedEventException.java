package dev.mamori.detectors.windows;

/** A Windows event in a recognised form that cannot be read; counted as that form's parse failure. */
public final class MalformedEventException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedEventException(String message) {
        super(message, null, false, false);
    }
}
