package dev.mamori.detectors.firewall;

/**
 * A line carries a format's signature but not its content (too few fields, a bad address). It is
 * counted as that format's parse failure, not as an unrecognised line.
 */
public final class MalformedLogException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedLogException(String message) {
        super(message, null, false, false);
    }
}
