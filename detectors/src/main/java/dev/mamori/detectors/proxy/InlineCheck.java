package dev.mamori.detectors.proxy;

/**
 * A proxy detection that decides from one request alone, so an inline input (ICAP) can block on it.
 * {@link #matches} is side-effect free; alerting (with any de-duplication) stays in {@code inspect}.
 */
public interface InlineCheck {

    String ruleId();

    boolean matches(ProxyEvent e);

    /** Why the request would be blocked, for the block page. */
    String reason(ProxyEvent e);
}
