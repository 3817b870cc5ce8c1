package dev.mamori.detectors.sigma;

/** A Sigma rule that cannot be compiled; the message names the reason (an unsupported feature, a typo). */
public final class SigmaException extends Exception {

    private static final long serialVersionUID = 1L;

    public SigmaException(String message) {
        super(message);
    }
}
