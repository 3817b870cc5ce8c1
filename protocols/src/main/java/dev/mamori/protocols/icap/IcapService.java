package dev.mamori.protocols.icap;

import java.util.function.Consumer;

/**
 * What the ICAP server asks the application. Called on event loops: must answer from what it
 * holds (stateless checks), never wait.
 */
public interface IcapService {

    /** The verdict for one REQMOD request (its HTTP head; the body is not inspected). */
    Verdict reqmod(IcapRequest request, String clientAddress);

    /**
     * As {@link #reqmod(IcapRequest, String)}, with {@code afterAnswer} taking work that can wait
     * until the answer is on its way (raising the request's alerts), so that the proxy, and the user
     * behind it, do not wait for it. The connection runs that work on its own thread right after it
     * writes the answer, or after taking the verdict when the answer waits for the body.
     */
    default Verdict reqmod(IcapRequest request, String clientAddress, Consumer<Runnable> afterAnswer) {
        return reqmod(request, clientAddress);
    }

    /** Changes whenever the rules or lists change, so proxies drop cached verdicts. */
    String istag();

    /** Called once per answered request, for metrics. */
    default void answered(String method, String verdict) {}

    /** Called when a request is refused (400, 404, 405, 413), for metrics and logs. */
    default void refused(int status, String reason) {}

    /**
     * Called when handling a connection failed inside Mamori (a bug, not the peer's doing): the
     * client got a 500 and the connection closed, unless the failure came after the answer (the work
     * handed to {@code afterAnswer}).
     */
    default void failed(Throwable cause) {}

    /** The answer to one request. */
    sealed interface Verdict permits Allow, Block {}

    record Allow() implements Verdict {}

    /** Answer with an HTTP 403 page naming {@code rule} and saying {@code reason}. */
    record Block(String rule, String reason) implements Verdict {}

    Verdict ALLOW = new Allow();
}
