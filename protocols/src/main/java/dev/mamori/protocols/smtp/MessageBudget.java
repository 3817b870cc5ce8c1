package dev.mamori.protocols.smtp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many message bytes all sessions together may hold at once (being received, inspected or
 * relayed). Each session may take up to the maximum message size, so without this bound many
 * concurrent large messages could exhaust the heap; past it a message is refused with 452 and the
 * sender retries later (RFC 5321 4.2.2, insufficient system storage).
 */
public final class MessageBudget {

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    public MessageBudget(long limit) {
        this.limit = limit;
    }

    /** Takes {@code n} bytes if they fit; false (and nothing taken) if they do not. */
    public boolean reserve(long n) {
        while (true) {
            long u = used.get();
            if (u + n > limit) {
                return false;
            }
            if (used.compareAndSet(u, u + n)) {
                return true;
            }
        }
    }

    public void release(long n) {
        used.addAndGet(-n);
    }

    public long used() {
        return used.get();
    }
}
