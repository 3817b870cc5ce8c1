package dev.mamori.detectors.evtx;

/** A structure in an EVTX file that is not what the format says: the record or chunk is skipped. */
final class EvtxFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    EvtxFormatException(String message) {
        super(message);
    }
}
