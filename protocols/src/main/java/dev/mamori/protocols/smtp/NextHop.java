package dev.mamori.protocols.smtp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.handler.codec.smtp.DefaultLastSmtpContent;
import io.netty.handler.codec.smtp.DefaultSmtpRequest;
import io.netty.handler.codec.smtp.SmtpCommand;
import io.netty.handler.codec.smtp.SmtpRequest;
import io.netty.handler.codec.smtp.SmtpRequestEncoder;
import io.netty.handler.codec.smtp.SmtpRequests;
import io.netty.handler.codec.smtp.SmtpResponse;
import io.netty.handler.codec.smtp.SmtpResponseDecoder;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The client leg of the relay: one connection to the next hop, driven without blocking on the
 * event loop of the sender's connection (netty-codec-smtp's encoder and decoder), so a session and
 * its next hop never need a lock or a thread hand-off. Requests queue as steps and are answered in
 * order; when the next hop offers PIPELINING (RFC 2920) MAIL, RCPT, RSET and XFORWARD go out
 * together, otherwise one at a time. The connection opens with the first request (greeting, EHLO,
 * HELO if EHLO is refused) and is kept across transactions ({@link NextHopPool}).
 *
 * <p>States: {@link State#NEW} (not connected), {@link State#GREETING}, {@link State#EHLO},
 * {@link State#READY}, {@link State#CLOSED}. Any failure (connection refused or lost, a greeting
 * other than 2xx, a malformed reply, no reply within the timeout) fails every request not yet
 * answered and closes the connection. A pooled connection that dies before answering anything is
 * reconnected once with what it was sent: it took nothing, and a message is never sent twice.
 */
final class NextHop {

    enum State {
        NEW,
        GREETING,
        EHLO,
        READY,
        CLOSED
    }

    /** Where the next hop is and how the relay introduces itself there. */
    record Target(String host, int port, Duration timeout, String helo) {}

    /** A request (null for the greeting) and the promise its reply completes. */
    private record Step(Object request, Promise<SmtpReply> answer, String onlyIfOffered) {

        boolean pipelinable() {
            return request instanceof SmtpRequest r
                    && (r.command().equals(SmtpCommand.MAIL)
                            || r.command().equals(SmtpCommand.RCPT)
                            || r.command().equals(SmtpCommand.RSET)
                            || r.command().equals(SmtpCommand.NOOP)
                            || r.command().equals(XFORWARD));
        }

        boolean isData() {
            return request instanceof SmtpRequest r && r.command().equals(SmtpCommand.DATA);
        }

        boolean resendable() {
            return !(request instanceof DefaultLastSmtpContent)
                    && !(request instanceof SmtpRequest r && r.command().equals(SmtpCommand.DATA));
        }
    }

    static final SmtpCommand XFORWARD = SmtpCommand.valueOf("XFORWARD");
    /** What a request sent only if the next hop offers an extension completes with when it does not. */
    static final SmtpReply NOT_OFFERED = SmtpReply.of(250, "not offered, not sent");

    private static final int MAX_REPLY_LINE = 4096;

    private final Target target;
    private final EventLoop loop;
    private final Class<? extends Channel> channelType;
    private final ArrayDeque<Step> unsent = new ArrayDeque<>();
    private final ArrayDeque<Step> unanswered = new ArrayDeque<>();
    private final Set<String> extensions = new HashSet<>();
    private State state = State.NEW;
    private Channel channel;
    private boolean pumping;
    private Runnable settled;
    /** Taken from the pool and not yet heard from: a failure now may be a connection the hop dropped while idle. */
    private boolean reused;

    private long lastActivity = System.nanoTime();
    private ScheduledFuture<?> timer;

    NextHop(Target target, EventLoop loop, Class<? extends Channel> channelType) {
        this.target = target;
        this.loop = loop;
        this.channelType = channelType;
    }

    EventLoop loop() {
        return loop;
    }

    State state() {
        return state;
    }

    /** Connected, greeted, nothing queued or unanswered: fit to be pooled or to start a transaction. */
    boolean idle() {
        return state == State.READY && unsent.isEmpty() && unanswered.isEmpty() && channel.isActive();
    }

    /** How long since the next hop last answered (or was sent something). */
    Duration idleFor() {
        return Duration.ofNanos(System.nanoTime() - lastActivity);
    }

    /** Handed out again by the pool. */
    void reuse() {
        reused = true;
    }

    /** Whether the next hop announced {@code extension} in its EHLO reply. */
    boolean offers(String extension) {
        return extensions.contains(extension.toUpperCase(Locale.ROOT));
    }

    /** Sends a command as the sender gave it ({@code verb} and the rest of its line). */
    Future<SmtpReply> send(SmtpCommand verb, String argument) {
        return send(request(verb, argument), null);
    }

    /** Sends the command if the next hop offers {@code extension}, else completes with {@link #NOT_OFFERED}. */
    Future<SmtpReply> sendIfOffered(String extension, SmtpCommand verb, String argument) {
        return send(request(verb, argument), extension);
    }

    private static SmtpRequest request(SmtpCommand verb, String argument) {
        if (argument.isEmpty()) {
            return new DefaultSmtpRequest(verb);
        }
        // the encoder writes each char as one byte: give it the UTF-8 bytes (RFC 6531 addresses) as chars
        return new DefaultSmtpRequest(
                verb, new String(argument.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    }

    /**
     * Runs {@code then} once nothing is queued or unanswered any more (at once if so already), or
     * once the connection failed: how a session hands its connection back without cutting short a
     * message still on its way.
     */
    void whenSettled(Runnable then) {
        settled = then;
        settle();
    }

    private void settle() {
        Runnable then = settled;
        if (then != null && (state == State.CLOSED || unsent.isEmpty() && unanswered.isEmpty())) {
            settled = null;
            then.run();
        }
    }

    Future<SmtpReply> rset() {
        return send(SmtpRequests.rset(), null);
    }

    /**
     * DATA, pipelined as the last of a group after MAIL and RCPT (RFC 2920); completes with the
     * next hop's 354, after which it takes only {@link #content} or {@link #abort}. A refusal is
     * followed here by RSET, the only request the encoder takes once DATA went out without content.
     */
    Future<SmtpReply> startData() {
        Future<SmtpReply> go = send(SmtpRequests.data(), null);
        go.addListener((Future<SmtpReply> f) -> {
            if (f.isSuccess() && f.getNow().code() != 354) {
                unsent.addFirst(new Step(SmtpRequests.rset(), loop.newPromise(), null));
                pump();
            }
        });
        return go;
    }

    /** After DATA's 354: the message ({@link DotStuffing}-ed, released here) and the final dot; the final reply. */
    Future<SmtpReply> content(ByteBuf message) {
        Step s = new Step(new DefaultLastSmtpContent(message), loop.newPromise(), null);
        unsent.addFirst(s);
        pump();
        return s.answer();
    }

    /**
     * Ends a transaction whose message will not follow after all: once DATA was answered 354 only
     * closing the connection does (the next hop drops a message without its final dot); otherwise
     * RSET.
     */
    void abort(boolean dataStarted) {
        if (dataStarted) {
            fail(new IOException("transaction abandoned in its data phase"), false);
        } else {
            rset();
        }
    }

    /** QUIT if idle, then close; otherwise just close. */
    void quit() {
        if (idle()) {
            send(SmtpRequests.quit(), null).addListener(f -> close());
        } else {
            close();
        }
    }

    void close() {
        fail(new IOException("connection to the next hop closed by the relay"), false);
    }

    private Future<SmtpReply> send(Object request, String onlyIfOffered) {
        Step s = new Step(request, loop.newPromise(), onlyIfOffered);
        unsent.add(s);
        pump();
        return s.answer();
    }

    /** Writes what may go out now. Re-entered from reply listeners; the outer call does the work. */
    private void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        try {
            if (state == State.NEW && !unsent.isEmpty()) {
                connect();
            } else if (state == State.CLOSED) {
                failQueued(new IOException("connection to the next hop is closed"));
            }
            boolean wrote = false;
            while (state == State.READY && !unsent.isEmpty()) {
                Step s = unsent.peek();
                if (s.onlyIfOffered() != null && !offers(s.onlyIfOffered())) {
                    unsent.poll();
                    s.answer().trySuccess(NOT_OFFERED);
                    continue;
                }
                // DATA may close a pipelined group; nothing follows it before its answer
                if (!unanswered.isEmpty()
                        && !(offers("PIPELINING")
                                && (s.pipelinable() || s.isData())
                                && unanswered.peekLast().pipelinable())) {
                    break;
                }
                unsent.poll();
                unanswered.add(s);
                channel.write(s.request());
                wrote = true;
            }
            if (wrote) {
                channel.flush();
                lastActivity = System.nanoTime();
                arm();
            }
        } finally {
            pumping = false;
        }
    }

    private void connect() {
        state = State.GREETING;
        Step greeting = new Step(null, loop.newPromise(), null);
        unanswered.add(greeting);
        greeting.answer().addListener((Future<SmtpReply> f) -> {
            if (f.isSuccess()) {
                greeted(f.getNow());
            }
        });
        ChannelFuture cf = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        Math.min(target.timeout().toMillis(), 30_000))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast(new SmtpResponseDecoder(MAX_REPLY_LINE))
                                .addLast(new SmtpRequestEncoder())
                                .addLast(new Replies());
                    }
                })
                .connect(target.host(), target.port());
        channel = cf.channel();
        lastActivity = System.nanoTime();
        arm();
        Channel ch = channel;
        cf.addListener(f -> {
            if (!f.isSuccess() && ch == channel) {
                fail(new IOException("cannot connect to " + target.host() + ":" + target.port() + ": "
                        + f.cause().getMessage()));
            }
        });
    }

    private void greeted(SmtpReply greeting) {
        if (!greeting.positive()) {
            fail(new IOException("the next hop greeted with " + greeting.wire().strip()));
            return;
        }
        state = State.EHLO;
        hello(SmtpRequests.ehlo(target.helo()));
    }

    private void hello(SmtpRequest hello) {
        Step s = new Step(hello, loop.newPromise(), null);
        s.answer().addListener((Future<SmtpReply> f) -> {
            if (!f.isSuccess()) {
                return;
            }
            SmtpReply r = f.getNow();
            if (r.positive()) {
                extensions.clear();
                for (String line : r.lines().subList(1, r.lines().size())) {
                    extensions.add(line.split(" ", 2)[0].toUpperCase(Locale.ROOT));
                }
                state = State.READY;
                pump();
            } else if (hello.command().equals(SmtpCommand.EHLO)) {
                hello(SmtpRequests.helo(target.helo()));
            } else {
                fail(new IOException("the next hop refused HELO: " + r.wire().strip()));
            }
        });
        unanswered.add(s);
        channel.writeAndFlush(hello);
    }

    private void replied(SmtpResponse response) {
        Step s = unanswered.poll();
        SmtpReply reply;
        try {
            List<String> lines = new ArrayList<>(response.details().size());
            response.details().forEach(d -> lines.add(d.toString()));
            reply = new SmtpReply(response.code(), lines);
        } catch (IllegalArgumentException e) {
            reply = null;
        }
        if (s == null || reply == null) {
            if (s != null) {
                unanswered.addFirst(s);
            }
            fail(new IOException(
                    s == null ? "a reply from the next hop to nothing asked" : "malformed reply from the next hop"));
            return;
        }
        reused = false;
        lastActivity = System.nanoTime();
        s.answer().trySuccess(reply);
        if (reply.code() == 421 && state != State.CLOSED) {
            // RFC 5321 3.8: the next hop is closing the transmission channel
            fail(new IOException(
                    "the next hop is shutting down: " + reply.wire().strip()));
            return;
        }
        pump();
        settle();
    }

    /** A reply is awaited: fail if none comes within the timeout. */
    private void arm() {
        if (timer == null && !unanswered.isEmpty()) {
            timer = loop.schedule(this::checkTimeout, target.timeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void checkTimeout() {
        timer = null;
        if (unanswered.isEmpty() || state == State.CLOSED) {
            return;
        }
        long left = target.timeout().toNanos() - (System.nanoTime() - lastActivity);
        if (left > 0) {
            timer = loop.schedule(this::checkTimeout, left, TimeUnit.NANOSECONDS);
        } else {
            fail(new IOException("no reply from the next hop within " + target.timeout()));
        }
    }

    private void fail(IOException cause) {
        fail(cause, true);
    }

    private void fail(IOException cause, boolean mayRetry) {
        if (state == State.CLOSED) {
            failQueued(cause);
            return;
        }
        Channel c = channel;
        channel = null;
        if (c != null) {
            c.close();
        }
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        boolean retry = mayRetry
                && reused
                && unanswered.stream().allMatch(Step::resendable)
                && unsent.stream().allMatch(Step::resendable);
        reused = false;
        if (retry && !unanswered.isEmpty()) {
            // the pooled connection was gone before it answered anything: the same requests, fresh
            while (!unanswered.isEmpty()) {
                unsent.addFirst(unanswered.pollLast());
            }
            state = State.NEW;
            pump();
            return;
        }
        state = State.CLOSED;
        failQueued(cause);
        settle();
    }

    /** Fails everything queued, including what the failures' listeners queue meanwhile. */
    private void failQueued(IOException cause) {
        while (!unanswered.isEmpty() || !unsent.isEmpty()) {
            Step s = unanswered.poll();
            if (s == null) {
                s = unsent.poll();
                if (s.request() instanceof DefaultLastSmtpContent c) {
                    c.release(); // never written; once written, the encoder has released it
                }
            }
            s.answer().tryFailure(cause);
        }
    }

    /** The connection's replies, and its end. */
    private final class Replies extends SimpleChannelInboundHandler<SmtpResponse> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, SmtpResponse msg) {
            if (ctx.channel() == channel) {
                replied(msg);
            }
        }

        /**
         * Acknowledges at once a read that left replies still to come: a next hop that writes the
         * replies of a pipelined group one by one with Nagle on (smtp-sink) holds the rest until our
         * ACK, which Linux would otherwise delay by 40 ms. Quick-ACK mode lapses by itself, so it is
         * set for each such read, and only then: forced ACKs cost both sides a packet each.
         */
        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (!unanswered.isEmpty() && ctx.channel().isActive()) {
                if (ctx.channel() instanceof EpollSocketChannel epoll) {
                    epoll.config().setTcpQuickAck(true);
                } else if (ctx.channel() instanceof IoUringSocketChannel uring) {
                    uring.config().setOption(IoUringChannelOption.TCP_QUICKACK, true);
                }
            }
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == channel) {
                fail(new IOException("the next hop closed the connection"));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() == channel) {
                fail(new IOException("next hop: " + cause.getMessage(), cause));
            } else {
                ctx.close();
            }
        }
    }
}
