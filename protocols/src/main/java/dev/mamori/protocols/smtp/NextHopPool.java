package dev.mamori.protocols.smtp;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Idle next-hop connections shared by all sessions, as Postfix's own connection cache keeps them:
 * a sender connection that ends hands its next-hop connection (greeted, between transactions) back
 * here, and the next session takes it instead of connecting, greeting and saying EHLO again. Kept
 * per event loop, so a session only ever drives a connection on its own thread. Connections idle
 * longer than {@code maxIdle} are closed, not reused; one the next hop closes while idle is noticed
 * at once (its channel goes inactive) and never handed out.
 */
public final class NextHopPool implements AutoCloseable {

    private final NextHop.Target target;
    private final Class<? extends Channel> channelType;
    private final int maxIdleConnections;
    private final Duration maxIdle;
    private final Map<EventLoop, Deque<NextHop>> idle = new ConcurrentHashMap<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private volatile boolean closed;

    NextHopPool(NextHop.Target target, Class<? extends Channel> channelType, int maxIdleConnections, Duration maxIdle) {
        this.target = target;
        this.channelType = channelType;
        this.maxIdleConnections = maxIdleConnections;
        this.maxIdle = maxIdle;
    }

    /** On {@code loop}: an idle connection of that loop if one is fresh enough, else a new unconnected one. */
    NextHop take(EventLoop loop) {
        Deque<NextHop> here = idle.get(loop);
        for (NextHop h = here == null ? null : here.pollFirst(); h != null; h = here.pollFirst()) {
            idleCount.decrementAndGet();
            if (h.idle() && h.idleFor().compareTo(maxIdle) < 0) {
                h.reuse();
                return h;
            }
            h.close();
        }
        return new NextHop(target, loop, channelType);
    }

    /** On the connection's loop: takes it back if it is between transactions, else closes it. */
    void give(NextHop h) {
        if (!h.idle() || closed || idleCount.get() >= maxIdleConnections) {
            h.quit();
            return;
        }
        idle.computeIfAbsent(h.loop(), l -> new ConcurrentLinkedDeque<>()).addFirst(h);
        idleCount.incrementAndGet();
        if (closed) {
            close();
        }
    }

    public int idleConnections() {
        return idleCount.get();
    }

    /** Says QUIT on every idle connection (on its own loop) and takes no more. */
    @Override
    public void close() {
        closed = true;
        idle.forEach((loop, hops) -> {
            for (NextHop h = hops.pollFirst(); h != null; h = hops.pollFirst()) {
                idleCount.decrementAndGet();
                NextHop quitting = h;
                if (!loop.isShuttingDown()) {
                    loop.execute(quitting::quit);
                }
            }
        });
    }
}
