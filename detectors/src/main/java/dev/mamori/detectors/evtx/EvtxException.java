package dev.mamori.detectors.evtx;

/** A file that is not an EVTX file at all. */
public final class EvtxException extends Exception {

    private static final long serialVersionUID = 1L;

    public EvtxException(String message) {
        super(message);
    }
}
