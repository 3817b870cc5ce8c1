package dev.mamori.protocols.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code max_connections} of one input: a connection past it hears the protocol's refusal (if it
 * has one) and is closed (the caller counts and logs it as its protocol does); an admitted one frees
 * its place when it closes. Thread-safe; one limit may cover several listeners (syslog TCP and TLS).
 */
public final class ConnectionLimit {

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    public ConnectionLimit(int max) {
        this.max = max;
    }

    /**
     * @param refusal what to tell a connection past the limit before closing it, or null for nothing
     * @param onRefused counts and logs a refusal, before the client can see the close
     * @return true when the connection may go on
     */
    public boolean admit(Channel ch, String refusal, Runnable onRefused) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            onRefused.run();
            if (refusal == null) {
                ch.close();
            } else {
                ch.writeAndFlush(Unpooled.copiedBuffer(refusal, StandardCharsets.US_ASCII))
                        .addListener(ChannelFutureListener.CLOSE);
            }
            return false;
        }
        ch.closeFuture().addListener(f -> open.decrementAndGet());
        return true;
    }

    public int open() {
        return open.get();
    }

    public int max() {
        return max;
    }
}
