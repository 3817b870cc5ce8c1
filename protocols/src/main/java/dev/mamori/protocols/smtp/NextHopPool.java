package dev.mamori.protocols.smtp;

import java.time.Duration;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Idle next-hop connections shared by all sessions, as Postfix's own connection cache keeps them:
 * a sender connection that ends hands its next-hop connection (greeted, between transactions) back
 * here, and the next session takes it instead of connecting, greeting and saying EHLO again.
 * Connections idle longer than {@code maxIdle} are closed, not reused; a reused connection the
 * next hop has meanwhile closed is replaced by the session (see {@link SmtpSession}).
 */
public final class NextHopPool implements AutoCloseable {

    private final SmtpSession.Settings settings;
    private final int maxIdleConnections;
    private final Duration maxIdle;
    private final Deque<SmtpUpstream> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    public NextHopPool(SmtpSession.Settings settings, int maxIdleConnections, Duration maxIdle) {
        this.settings = settings;
        this.maxIdleConnections = maxIdleConnections;
        this.maxIdle = maxIdle;
    }

    /** An idle connection to the next hop if one is fresh enough, else a new unconnected client. */
    public SmtpUpstream take() {
        for (SmtpUpstream u = idle.pollFirst(); u != null; u = idle.pollFirst()) {
            if (u.connected() && u.idleFor().compareTo(maxIdle) < 0) {
                return u;
            }
            u.close();
        }
        return new SmtpUpstream(
                settings.nextHopHost(), settings.nextHopPort(), settings.upstreamTimeout(), settings.hostname());
    }

    /** Takes back a connection that is between transactions; QUITs it when the pool is full or closed. */
    public void give(SmtpUpstream u) {
        if (!u.connected()) {
            return;
        }
        if (closed || idle.size() >= maxIdleConnections) {
            u.quit();
            return;
        }
        idle.addFirst(u);
        if (closed && idle.remove(u)) {
            u.quit();
        }
    }

    public int idleConnections() {
        return idle.size();
    }

    @Override
    public void close() {
        closed = true;
        for (SmtpUpstream u = idle.pollFirst(); u != null; u = idle.pollFirst()) {
            u.quit();
        }
    }
}
