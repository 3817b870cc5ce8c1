package dev.mamori.protocols.smtp;

import io.netty.channel.Channel;

/**
 * When to read the sender: not while a DATA, BDAT or STARTTLS waits for its answer (what follows
 * depends on it), and not while the sender is far ahead of its answers, as a client that pipelines
 * without reading would otherwise queue answers without bound.
 */
final class ReadFlow {

    /** Answers outstanding before reading pauses; RFC 2920 batches are far smaller. */
    static final int MAX_PIPELINED = 100;

    private final Channel channel;
    private boolean awaiting;

    ReadFlow(Channel channel) {
        this.channel = channel;
    }

    /** A command whose answer decides how the following bytes are read was read. */
    void await() {
        awaiting = true;
    }

    /** That answer is out; the decoder has been told what follows. */
    void answered() {
        awaiting = false;
    }

    boolean awaiting() {
        return awaiting;
    }

    void update(int outstanding) {
        boolean read = !awaiting && outstanding < MAX_PIPELINED;
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }
}
