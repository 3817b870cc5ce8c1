package dev.mamori.protocols.syslog;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.util.List;

/**
 * RFC 6587 framing for syslog over TCP and TLS, decided frame by frame: octet counting
 * ({@code MSG-LEN SP <PRI>...}) when a frame starts with a length, a space and {@code <}; otherwise
 * a line ended by LF, CRLF or NUL (non-transparent framing, and the bare lines Squid and appliances
 * send). Emits each frame's bytes as a retained slice, without terminators; empty lines are skipped.
 *
 * <p>Bounded by {@code maxFrame}: a longer frame is skipped (up to its terminator, or its stated
 * length) and reported once through {@link Listener#oversize()}, after which decoding resumes with
 * the next frame, so one bad sender line does not cost the following ones. Explicit states:
 * {@link State#FRAME_START}, {@link State#SKIP_LINE}, {@link State#SKIP_COUNT}.
 */
public final class SyslogFrameDecoder extends ByteToMessageDecoder {

    /** Told about frames the decoder throws away. */
    public interface Listener {
        void oversize();
    }

    enum State {
        FRAME_START,
        SKIP_LINE,
        SKIP_COUNT
    }

    private static final int MAX_LENGTH_DIGITS = 10;
    private static final ByteProcessor NOT_TERMINATOR = b -> b != '\n' && b != 0;

    private final int maxFrame;
    private final Listener listener;
    private State state = State.FRAME_START;
    private long skipRemaining;

    public SyslogFrameDecoder(int maxFrame, Listener listener) {
        this.maxFrame = maxFrame;
        this.listener = listener;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            switch (state) {
                case SKIP_COUNT -> {
                    int n = (int) Math.min(skipRemaining, in.readableBytes());
                    in.skipBytes(n);
                    skipRemaining -= n;
                    if (skipRemaining == 0) {
                        state = State.FRAME_START;
                    }
                }
                case SKIP_LINE -> {
                    int end = terminator(in, in.readerIndex(), in.writerIndex());
                    if (end < 0) {
                        in.skipBytes(in.readableBytes());
                    } else {
                        in.readerIndex(end + 1);
                        state = State.FRAME_START;
                    }
                }
                case FRAME_START -> {
                    if (!frame(in, out)) {
                        return;
                    }
                }
            }
        }
    }

    /** Decodes one frame at the reader index; false when more bytes are needed. */
    private boolean frame(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int limit = in.writerIndex();
        byte first = in.getByte(start);
        if (first == '\n' || first == '\r' || first == 0) {
            in.skipBytes(1);
            return true;
        }
        if (first >= '1' && first <= '9') {
            int i = start;
            long length = 0;
            while (i < limit && i - start < MAX_LENGTH_DIGITS && isDigit(in.getByte(i))) {
                length = length * 10 + (in.getByte(i) - '0');
                i++;
            }
            if (i + 1 >= limit && i - start < MAX_LENGTH_DIGITS) {
                return lineOrWait(in, out); // cannot tell yet whether a length follows
            }
            if (i - start < MAX_LENGTH_DIGITS + 1
                    && i + 1 < limit
                    && in.getByte(i) == ' '
                    && in.getByte(i + 1) == '<') {
                int headerEnd = i + 1;
                if (length > maxFrame) {
                    listener.oversize();
                    in.readerIndex(headerEnd);
                    skipRemaining = length;
                    state = State.SKIP_COUNT;
                    return true;
                }
                if (limit - headerEnd < length) {
                    return false;
                }
                int frameLen = (int) length;
                int end = headerEnd + frameLen;
                int trimmed = end;
                while (trimmed > headerEnd && isTerminator(in.getByte(trimmed - 1))) {
                    trimmed--;
                }
                if (trimmed > headerEnd) {
                    out.add(in.retainedSlice(headerEnd, trimmed - headerEnd));
                }
                in.readerIndex(end);
                return true;
            }
        }
        return lineOrWait(in, out);
    }

    private boolean lineOrWait(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int searchEnd = Math.min(in.writerIndex(), start + maxFrame + 1);
        int end = terminator(in, start, searchEnd);
        if (end < 0) {
            if (in.writerIndex() - start > maxFrame) {
                listener.oversize();
                state = State.SKIP_LINE;
                in.readerIndex(searchEnd);
                return true;
            }
            return false;
        }
        int trimmed = end;
        if (trimmed > start && in.getByte(trimmed - 1) == '\r') {
            trimmed--;
        }
        if (trimmed > start) {
            out.add(in.retainedSlice(start, trimmed - start));
        }
        in.readerIndex(end + 1);
        return true;
    }

    /** Index of the first LF or NUL in [from, to), or -1. */
    private static int terminator(ByteBuf in, int from, int to) {
        return to <= from ? -1 : in.forEachByte(from, to - from, NOT_TERMINATOR);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isTerminator(byte b) {
        return b == '\n' || b == '\r' || b == 0;
    }

    /**
     * A connection closing mid-line still delivers the line it sent: senders such as
     * {@code logger} may omit the final LF.
     */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(ctx, in, out);
        if (state == State.FRAME_START && in.isReadable()) {
            int start = in.readerIndex();
            int len = in.readableBytes();
            if (len <= maxFrame) {
                out.add(in.retainedSlice(start, len));
            } else {
                listener.oversize();
            }
            in.skipBytes(len);
        }
    }
}
