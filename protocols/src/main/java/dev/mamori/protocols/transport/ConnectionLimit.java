package dev.mamori.protocols.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code max_connections} of one input: a connection past it hears the protocol's refusal (if it
 * has one) and is closed (the caller counts it as its protocol does); an admitted one frees its
 * place when it closes. Refusals are logged at most once a minute with how many there were, so a
 * flood fills no disk. Thread-safe; one limit may cover several listeners (syslog TCP and TLS).
 */
public final class ConnectionLimit {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimit.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String input;
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refusedSinceLog = new AtomicLong();
    private final AtomicLong nextLogNanos = new AtomicLong(System.nanoTime());

    /** @param input named in the log line, e.g. {@code "icap"} or {@code "syslog tcp"} */
    public ConnectionLimit(String input, int max) {
        this.input = input;
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
            logRefusal(ch);
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

    private void logRefusal(Channel ch) {
        long n = refusedSinceLog.incrementAndGet();
        long next = nextLogNanos.get();
        long now = System.nanoTime();
        if (now - next >= 0 && nextLogNanos.compareAndSet(next, now + LOG_EVERY_NANOS)) {
            refusedSinceLog.addAndGet(-n);
            log.warn(
                    "{}: refusing connections: {} open (max_connections); {} refused since the last such line, the"
                            + " latest from {}",
                    input,
                    max,
                    n,
                    ch.remoteAddress());
        }
    }

    public int open() {
        return open.get();
    }

    public int max() {
        return max;
    }
}
