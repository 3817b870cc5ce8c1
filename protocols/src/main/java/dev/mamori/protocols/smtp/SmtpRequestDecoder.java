package dev.mamori.protocols.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Splits the client's bytes into command lines, or, after the session answered DATA with 354
 * ({@link #startData}), into one message up to {@code <CRLF>.<CRLF>}: dot-unstuffed, and
 * bounded by {@code maxMessageSize} (past it the rest is read and dropped, and the message flagged).
 * States: {@link Mode#COMMAND}, {@link Mode#WAIT} (after DATA, BDAT or STARTTLS, until the session
 * has answered: what follows depends on that answer; and after a message, until the session has
 * passed it on, so that commands pipelined behind it reach the next hop after it), {@link Mode#DATA}, {@link Mode#SKIP_LINE}
 * (after an overlong line).
 */
public final class SmtpRequestDecoder extends ByteToMessageDecoder {

    enum Mode {
        COMMAND,
        WAIT,
        DATA,
        SKIP_LINE
    }

    /** RFC 5321: a command line is at most 512 octets, a text line 1000, both with CRLF. */
    static final int MAX_LINE = 1000;
    /** Message bytes without a line end are taken in pieces this large, so one line cannot grow the buffer. */
    static final int MAX_DATA_CHUNK = 64 * 1024;

    private final long maxMessageSize;
    private final MessageBudget budget;
    private Mode mode = Mode.COMMAND;
    private ByteArrayOutputStream message;
    private long size;
    private boolean tooLarge;
    private boolean noStorage;
    private boolean midLine;
    /** The previous message line ended with CRLF (or DATA just began): only then can a dot line end the message. */
    private boolean afterCrlf;

    /** @param budget shared by every session; the bytes of a message being received are taken from it */
    public SmtpRequestDecoder(long maxMessageSize, MessageBudget budget) {
        this.maxMessageSize = maxMessageSize;
        this.budget = budget;
    }

    /** Dot-unstuffing: a line's leading dot is not part of the message. */
    private static int dotSkip(ByteBuf in, int lineStart) {
        return in.getByte(lineStart) == '.' ? 1 : 0;
    }

    /** Adds bytes [from, to) to the message, or only counts them once it is too large or out of budget. */
    private void append(ByteBuf in, int from, int to) {
        int n = to - from;
        size += n;
        if (size > maxMessageSize) {
            tooLarge = true;
        }
        if (tooLarge || noStorage) {
            return;
        }
        if (!budget.reserve(n)) {
            noStorage = true;
            budget.release(message.size());
            message = new ByteArrayOutputStream(0);
            return;
        }
        try {
            in.getBytes(from, message, n); // straight into the message, no array per line
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
    }

    /** The session answered the command it waited on with something other than 354: back to commands. */
    public void resume() {
        mode = Mode.COMMAND;
    }

    /**
     * STARTTLS was accepted: whatever the client sent after it in clear text is dropped unread
     * (RFC 3207 section 6; the CVE-2011-0411 command injection), and commands follow over TLS.
     */
    public void discardBufferedAndResume() {
        if (actualReadableBytes() > 0) {
            internalBuffer().skipBytes(actualReadableBytes());
        }
        mode = Mode.COMMAND;
    }

    /** The session sent 354: what follows is the message. */
    public void startData() {
        mode = Mode.DATA;
        message = new ByteArrayOutputStream(8192);
        size = 0;
        tooLarge = false;
        noStorage = false;
        midLine = false;
        afterCrlf = true;
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        // the connection ended in the middle of a message: give its bytes back
        if (message != null) {
            budget.release(message.size());
            message = null;
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            switch (mode) {
                case WAIT -> {
                    return;
                }
                case SKIP_LINE -> {
                    if (lf < 0) {
                        in.skipBytes(in.readableBytes());
                        return;
                    }
                    in.readerIndex(lf + 1);
                    mode = Mode.COMMAND;
                }
                case COMMAND -> {
                    if (lf < 0) {
                        if (in.readableBytes() > MAX_LINE) {
                            in.skipBytes(in.readableBytes());
                            mode = Mode.SKIP_LINE;
                            out.add(new SmtpInput.LineTooLong());
                        }
                        return;
                    }
                    int len = lf - in.readerIndex();
                    if (len + 1 > MAX_LINE) {
                        in.readerIndex(lf + 1);
                        out.add(new SmtpInput.LineTooLong());
                        continue;
                    }
                    String line = in.toString(in.readerIndex(), len, StandardCharsets.UTF_8);
                    in.readerIndex(lf + 1);
                    if (line.endsWith("\r")) {
                        line = line.substring(0, line.length() - 1);
                    }
                    int sp = line.indexOf(' ');
                    String verb = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
                    out.add(new SmtpInput.Command(verb, sp < 0 ? "" : line.substring(sp + 1)));
                    if (verb.equals("DATA") || verb.equals("BDAT") || verb.equals("STARTTLS")) {
                        mode = Mode.WAIT; // the session's answer decides what follows
                        return;
                    }
                }
                case DATA -> {
                    if (lf < 0) {
                        if (in.readableBytes() > MAX_DATA_CHUNK) {
                            // an endless line: take what is there (a line start only matters for dots)
                            append(
                                    in,
                                    in.readerIndex() + (midLine || !afterCrlf ? 0 : dotSkip(in, in.readerIndex())),
                                    in.writerIndex());
                            afterCrlf = in.getByte(in.writerIndex() - 1) == '\r'; // a CR the LF may follow
                            in.readerIndex(in.writerIndex());
                            midLine = true;
                        }
                        return;
                    }
                    int start = in.readerIndex();
                    int len = lf + 1 - start;
                    boolean endsCrlf = len >= 2 ? in.getByte(lf - 1) == '\r' : midLine && afterCrlf;
                    // RFC 5321 4.1.1.4: only <CRLF>.<CRLF> ends the data. A dot line next to a bare LF is
                    // content, kept as sent: a receiver that ended the message there could be made to
                    // read the rest as a second, smuggled transaction (SMTP smuggling, CVE-2023-51764).
                    boolean lineStart = !midLine && afterCrlf;
                    boolean dotLine = lineStart && len == 3 && in.getByte(start) == '.' && endsCrlf;
                    if (dotLine) {
                        in.readerIndex(lf + 1);
                        out.add(new SmtpInput.Message(message.toByteArray(), size, tooLarge, noStorage));
                        message = null;
                        mode = Mode.WAIT; // what the session does with it decides when commands go on
                        return;
                    }
                    append(in, start + (lineStart ? dotSkip(in, start) : 0), lf + 1);
                    afterCrlf = endsCrlf;
                    midLine = false;
                    in.readerIndex(lf + 1);
                }
            }
        }
    }
}
