package dev.mamori.protocols.smtp;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The sender's answers in the order of its commands (RFC 2920: a pipelined batch is answered in
 * order), each filled in whenever it is known (at once, or when the next hop or the inspection
 * answers) and written as soon as every answer before it is. Answers filled while the sender's
 * batch is still being read go out in one flush at the end of the read.
 */
final class ReplyQueue {

    /** One answer to come; {@code afterWrite} acts on it once it is on its way (TLS, DATA, close). */
    static final class Slot {
        private SmtpReply reply;
        private final Consumer<SmtpReply> afterWrite;

        private Slot(Consumer<SmtpReply> afterWrite) {
            this.afterWrite = afterWrite;
        }
    }

    private final ChannelHandlerContext ctx;
    private final Runnable afterWrites;
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private boolean reading;
    private boolean unflushed;
    private boolean writing;

    /** @param afterWrites runs whenever answers were written (the queue got shorter) */
    ReplyQueue(ChannelHandlerContext ctx, Runnable afterWrites) {
        this.ctx = ctx;
        this.afterWrites = afterWrites;
    }

    /** A place for the next answer. */
    Slot add(Consumer<SmtpReply> afterWrite) {
        Slot s = new Slot(afterWrite);
        slots.add(s);
        return s;
    }

    /** Answers at once (in order after those still awaited). */
    void answer(SmtpReply reply) {
        fill(add(null), reply);
    }

    void fill(Slot slot, SmtpReply reply) {
        slot.reply = reply;
        write();
    }

    /** Answers not yet written, awaited or waiting for an earlier one. */
    int size() {
        return slots.size();
    }

    /** The sender's bytes are being read: hold the flush until {@link #readComplete}. */
    void reading() {
        reading = true;
    }

    void readComplete() {
        reading = false;
        flush();
    }

    /** Writes what is due now (it must reach the sender before the decoder goes on). */
    void flush() {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    private void write() {
        if (writing) {
            return; // an afterWrite filled another answer: the loop below takes it
        }
        writing = true;
        boolean wrote = false;
        try {
            for (Slot s = slots.peek(); s != null && s.reply != null; s = slots.peek()) {
                wrote = true;
                slots.poll();
                ctx.write(Unpooled.copiedBuffer(s.reply.wire(), StandardCharsets.UTF_8));
                unflushed = true;
                if (s.afterWrite != null) {
                    s.afterWrite.accept(s.reply);
                }
            }
        } finally {
            writing = false;
        }
        if (!reading) {
            flush();
        }
        if (wrote) {
            afterWrites.run();
        }
    }
}
