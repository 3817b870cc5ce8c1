package dev.mamori.protocols.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP session, relayed command by command: MAIL and RCPT go to the next hop as they come and
 * its answers come back to the sender, so every recipient gets the next hop's own verdict; the
 * message is collected, inspected ({@link SmtpService}), and then relayed or refused, and the
 * sender's final answer is the next hop's. Nothing is acknowledged that the next hop has not
 * accepted: if it cannot be reached the sender gets 451 and keeps the message.
 *
 * <p>Commands are handled strictly in order by the session's work queue on the workers (the upstream
 * leg blocks), and answers are written in that order on the event loop and flushed when the queue
 * runs dry, so a pipelined batch gets one write. States: not greeted, greeted, in a transaction
 * (MAIL accepted), with recipients, receiving data.
 */
public final class SmtpSession extends SimpleChannelInboundHandler<SmtpInput> {

    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);
    /** Inputs queued for answers before reading pauses; RFC 2920 batches are far smaller. */
    static final int MAX_PIPELINED = 100;

    /** Session settings. */
    public record Settings(
            String hostname,
            long maxMessageSize,
            int maxRecipients,
            String nextHopHost,
            int nextHopPort,
            Duration upstreamTimeout) {}

    private final Settings settings;
    private final SmtpService service;
    private final SmtpRequestDecoder decoder;
    private final Executor workers;
    private final NextHopPool pool;
    /** Taken from the pool; replaced when a reused one turns out closed. Touched only by queued work. */
    private SmtpUpstream upstream;

    private boolean released;
    private final SslContext tls;
    private final MessageBudget budget;
    /**
     * The session's work for the workers, run strictly in order by one worker at a time: a
     * pipelined batch is drained by a single worker without a hand-off per command.
     */
    private final Queue<Runnable> work = new ConcurrentLinkedQueue<>();

    private final AtomicBoolean draining = new AtomicBoolean();
    private int pending;
    /** A DATA, BDAT or STARTTLS is waiting for its answer: the decoder must not go on meanwhile. */
    private boolean awaiting;

    private boolean closing;
    private volatile ChannelHandlerContext ctx;

    // Session state: touched only by queued work, which runs one at a time (or on the event loop
    // when nothing is queued or running).
    private String helo;
    private String client = "";
    private final Map<String, String> xforward = new LinkedHashMap<>();
    private String mailFrom;
    private final List<String> recipients = new ArrayList<>();
    private boolean secured;

    /** @param tls offered as STARTTLS when not null */
    public SmtpSession(
            Settings settings,
            SmtpService service,
            SmtpRequestDecoder decoder,
            Executor workers,
            SslContext tls,
            MessageBudget budget,
            NextHopPool pool) {
        this.settings = settings;
        this.tls = tls;
        this.budget = budget;
        this.service = service;
        this.decoder = decoder;
        this.workers = workers;
        this.pool = pool;
        this.upstream = pool.take();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * The server is stopping: once what this session has in flight is answered, it says 421 and
     * closes, so the sender keeps any message it had not been told 250 for.
     */
    public void shutdown() {
        ChannelHandlerContext c = ctx;
        if (c != null) {
            c.executor().execute(() -> {
                closing = true;
                if (pending == 0) {
                    goodbye();
                }
            });
        }
    }

    private void goodbye() {
        ctx.writeAndFlush(text("421 4.3.2 " + settings.hostname() + " Service shutting down\r\n"))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null) {
            client = a.getAddress().getHostAddress();
        }
        ctx.writeAndFlush(text("220 " + settings.hostname() + " ESMTP Mamori\r\n"));
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SmtpInput input) {
        if (closing) {
            // 421 follows once the answers in flight are written; nothing new is started
            if (input instanceof SmtpInput.Message m) {
                budget.release(m.content().length);
            }
            return;
        }
        awaiting |= waitsForAnswer(input);
        pending++;
        if (pending == 1 && local(input)) {
            // nothing is in flight and the next hop is not involved: no hand-off to a worker
            answered(input, safely(input));
            return;
        }
        updateReading();
        submit(() -> {
            String answer = safely(input);
            ctx.executor().execute(() -> answered(input, answer));
        });
    }

    /** Queues work for the workers; false if they are gone (the server is stopping). */
    private boolean submit(Runnable task) {
        work.add(task);
        if (draining.compareAndSet(false, true)) {
            try {
                workers.execute(this::drain);
            } catch (RejectedExecutionException e) {
                draining.set(false);
                return false;
            }
        }
        return true;
    }

    /** On a worker: runs the queued work until none is left. */
    private void drain() {
        while (true) {
            for (Runnable r = work.poll(); r != null; r = work.poll()) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    // e.g. the event loop is gone; the rest of the queue still runs (release above all)
                    log.warn("smtp: session from {}: {}", client, e.toString());
                }
            }
            draining.set(false);
            // work added after the last poll but before the flag dropped would otherwise wait
            if (work.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private String safely(SmtpInput input) {
        try {
            return handle(input);
        } catch (RuntimeException e) {
            log.error("smtp: session from {} failed", client, e);
            return "451 4.3.0 Local error, try again later\r\n";
        }
    }

    /** Inputs answered without the next hop (so without blocking). */
    private static boolean local(SmtpInput input) {
        if (input instanceof SmtpInput.LineTooLong) {
            return true;
        }
        return input instanceof SmtpInput.Command c
                && switch (c.verb()) {
                    case "MAIL", "RCPT", "DATA", "RSET", "QUIT", "STARTTLS" -> false;
                    default -> true;
                };
    }

    /**
     * Reads only while the decoder may go on and the client is not too far ahead: a client that
     * pipelines without reading the answers would otherwise queue work and replies without bound.
     */
    private void updateReading() {
        ctx.channel().config().setAutoRead(!awaiting && pending < MAX_PIPELINED);
    }

    private static boolean waitsForAnswer(SmtpInput input) {
        return input instanceof SmtpInput.Command c
                && (c.verb().equals("DATA")
                        || c.verb().equals("BDAT")
                        || c.verb().equals("STARTTLS"));
    }

    /** On the event loop: write the answer, then act on it for the decoder and the connection. */
    private void answered(SmtpInput input, String reply) {
        pending--;
        if (!ctx.channel().isOpen()) {
            return;
        }
        boolean startTls = reply.startsWith("220")
                && input instanceof SmtpInput.Command c
                && c.verb().equals("STARTTLS");
        if (startTls) {
            // first in the pipeline, and told to let this one 220 out in clear text
            ctx.pipeline().addFirst("tls", new SslHandler(tls.newEngine(ctx.alloc()), true));
        }
        ctx.write(text(reply));
        if (reply.startsWith("221") || reply.startsWith("421")) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (closing && pending == 0) {
            goodbye();
            return;
        }
        if (!waitsForAnswer(input)) {
            if (pending == 0) {
                ctx.flush();
            }
            updateReading();
            return;
        }
        if (startTls) {
            decoder.discardBufferedAndResume();
        } else if (reply.startsWith("354")) {
            decoder.startData();
        } else {
            decoder.resume();
        }
        ctx.flush();
        awaiting = false;
        updateReading();
        // let the decoder go on with what it holds (over TLS, it holds nothing yet)
        try {
            decoder.channelRead(ctx.pipeline().context(decoder), Unpooled.EMPTY_BUFFER);
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
        }
    }

    /** On a worker: the answer to one input. */
    private String handle(SmtpInput input) {
        if (input instanceof SmtpInput.LineTooLong) {
            return "500 5.5.2 Line too long\r\n";
        }
        if (input instanceof SmtpInput.Message m) {
            return message(m);
        }
        SmtpInput.Command c = (SmtpInput.Command) input;
        String arg = c.argument().strip();
        switch (c.verb()) {
            case "EHLO":
                helo = arg;
                resetTransaction(false);
                return "250-" + settings.hostname() + "\r\n250-PIPELINING\r\n250-SIZE " + settings.maxMessageSize()
                        + "\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250-SMTPUTF8\r\n250-DSN\r\n"
                        + (tls != null && !secured ? "250-STARTTLS\r\n" : "")
                        + "250 XFORWARD NAME ADDR PROTO HELO SOURCE PORT IDENT\r\n";
            case "HELO":
                helo = arg;
                resetTransaction(false);
                return "250 " + settings.hostname() + "\r\n";
            case "XFORWARD":
                for (String attr : arg.split(" ")) {
                    int eq = attr.indexOf('=');
                    if (eq > 0) {
                        xforward.put(attr.substring(0, eq).toUpperCase(Locale.ROOT), attr.substring(eq + 1));
                    }
                }
                return "250 2.0.0 Ok\r\n";
            case "MAIL":
                return mail(arg);
            case "RCPT":
                return rcpt(arg);
            case "DATA":
                if (mailFrom == null) {
                    return "503 5.5.1 Error: need MAIL command\r\n";
                }
                if (recipients.isEmpty()) {
                    resetTransaction(true);
                    return "554 5.5.1 Error: no valid recipients\r\n";
                }
                return "354 End data with <CR><LF>.<CR><LF>\r\n";
            case "RSET":
                resetTransaction(true);
                return "250 2.0.0 Ok\r\n";
            case "NOOP":
                return "250 2.0.0 Ok\r\n";
            case "VRFY":
                return "252 2.0.0 Cannot VRFY user, but will accept message\r\n";
            case "HELP":
                return "214 2.0.0 See RFC 5321\r\n";
            case "QUIT":
                release();
                return "221 2.0.0 Bye\r\n";
            case "BDAT":
                return "502 5.5.1 Error: CHUNKING not offered\r\n";
            case "STARTTLS":
                return startTls(arg);
            default:
                return "502 5.5.2 Error: command not recognized\r\n";
        }
    }

    /**
     * The next hop's answer as the sender gets it: any 4xx becomes 451 with the next hop's text
     * (and enhanced code), so the sender retries; after a 421 the next hop's connection is gone.
     */
    private String relayed(SmtpUpstream.Reply r) {
        if (r.code() >= 400 && r.code() < 500) {
            if (r.code() == 421) {
                upstream.close();
            }
            return new SmtpUpstream.Reply(451, r.lines()).wire();
        }
        return r.wire();
    }

    /** RFC 3207: after 220 both sides forget the session so far; the client says EHLO again. */
    private String startTls(String arg) {
        if (tls == null) {
            return "502 5.5.1 Error: STARTTLS not offered\r\n";
        }
        if (secured) {
            return "503 5.5.1 Error: TLS already active\r\n";
        }
        if (!arg.isEmpty()) {
            return "501 5.5.4 Syntax: STARTTLS\r\n";
        }
        resetTransaction(true);
        helo = null;
        xforward.clear();
        secured = true;
        return "220 2.0.0 Ready to start TLS\r\n";
    }

    private String mail(String arg) {
        if (helo == null) {
            return "503 5.5.1 Error: send HELO/EHLO first\r\n";
        }
        if (mailFrom != null) {
            return "503 5.5.1 Error: nested MAIL command\r\n";
        }
        if (!arg.regionMatches(true, 0, "FROM:", 0, 5)) {
            return "501 5.5.4 Syntax: MAIL FROM:<address>\r\n";
        }
        for (String p : arg.substring(5).split(" ")) {
            if (p.regionMatches(true, 0, "SIZE=", 0, 5)) {
                try {
                    if (Long.parseLong(p.substring(5)) > settings.maxMessageSize()) {
                        return "552 5.3.4 Message size exceeds fixed limit\r\n";
                    }
                } catch (NumberFormatException e) {
                    return "501 5.5.4 Bad SIZE parameter\r\n";
                }
            }
        }
        try {
            boolean reused = upstream.connected();
            try {
                return beginTransaction(arg);
            } catch (IOException e) {
                if (!reused) {
                    throw e;
                }
                // the next hop closed the pooled connection while it was idle: once more, fresh
                upstream.close();
                return beginTransaction(arg);
            }
        } catch (IOException e) {
            upstream.close();
            log.info(
                    "smtp: next hop {}:{} unreachable: {}",
                    settings.nextHopHost(),
                    settings.nextHopPort(),
                    e.toString());
            service.outcome("deferred");
            return "451 4.4.1 Next hop not reachable, try again later\r\n";
        }
    }

    private String beginTransaction(String arg) throws IOException {
        if (!upstream.connected()) {
            SmtpUpstream.Reply open = upstream.open();
            if (!open.positive()) {
                service.outcome("deferred");
                return "451 4.4.1 Next hop refused the connection: " + open.code() + "\r\n";
            }
        }
        if (!xforward.isEmpty() && upstream.offers("XFORWARD")) {
            StringBuilder line = new StringBuilder("XFORWARD");
            xforward.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
            SmtpUpstream.Reply x = upstream.command(line.toString());
            if (!x.positive()) {
                log.debug("smtp: next hop refused XFORWARD: {}", x.wire().strip());
            }
        }
        SmtpUpstream.Reply r = upstream.command("MAIL " + arg);
        if (r.positive()) {
            mailFrom = address(arg.substring(5));
        }
        return relayed(r);
    }

    /** The session is over: its next-hop connection goes back to the pool, between transactions. */
    private void release() {
        if (released) {
            return;
        }
        released = true;
        resetTransaction(true);
        pool.give(upstream);
    }

    private String rcpt(String arg) {
        if (mailFrom == null) {
            return "503 5.5.1 Error: need MAIL command\r\n";
        }
        if (!arg.regionMatches(true, 0, "TO:", 0, 3)) {
            return "501 5.5.4 Syntax: RCPT TO:<address>\r\n";
        }
        if (recipients.size() >= settings.maxRecipients()) {
            return "452 4.5.3 Error: too many recipients\r\n";
        }
        try {
            SmtpUpstream.Reply r = upstream.command("RCPT " + arg);
            if (r.positive()) {
                recipients.add(address(arg.substring(3)));
            }
            return relayed(r);
        } catch (IOException e) {
            upstream.close();
            resetTransaction(false);
            service.outcome("deferred");
            return "451 4.4.1 Next hop not reachable, try again later\r\n";
        }
    }

    private String message(SmtpInput.Message m) {
        try {
            if (m.tooLarge()) {
                resetTransaction(true);
                service.outcome("rejected");
                return "552 5.3.4 Message size exceeds fixed limit\r\n";
            }
            if (m.noStorage()) {
                resetTransaction(true);
                service.outcome("deferred");
                log.warn("smtp: message from {} deferred: the relay holds its limit of message bytes", client);
                return "452 4.3.1 Insufficient system storage, try again later\r\n";
            }
            SmtpService.Verdict v = service.inspect(
                    new SmtpService.Envelope(client, helo, mailFrom, recipients, xforward), m.content());
            if (v instanceof SmtpService.Reject reject) {
                resetTransaction(true);
                service.outcome("rejected");
                return reject.reply().endsWith("\r\n") ? reject.reply() : reject.reply() + "\r\n";
            }
            SmtpService.Relay relay = (SmtpService.Relay) v;
            try {
                SmtpUpstream.Reply r = upstream.data(relay.message());
                service.outcome(r.positive() ? relay.verdict() : r.code() >= 500 ? "rejected" : "deferred");
                if (!r.positive()) {
                    // DATA itself may have been refused, leaving the transaction open there
                    resetTransaction(true);
                }
                return relayed(r);
            } catch (IOException e) {
                upstream.close();
                service.outcome("deferred");
                return "451 4.4.2 Next hop lost during the transfer, try again later\r\n";
            }
        } finally {
            budget.release(m.content().length);
            mailFrom = null;
            recipients.clear();
        }
    }

    /** Ends the transaction here and, if one is open there, at the next hop. */
    private void resetTransaction(boolean upstreamToo) {
        if (upstreamToo && mailFrom != null && upstream.connected()) {
            try {
                upstream.command("RSET");
            } catch (IOException e) {
                upstream.close();
            }
        }
        mailFrom = null;
        recipients.clear();
    }

    private static String address(String path) {
        String p = path.strip();
        int lt = p.indexOf('<');
        int gt = p.indexOf('>', lt + 1);
        return lt >= 0 && gt > lt ? p.substring(lt + 1, gt) : p.split(" ", 2)[0];
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.writeAndFlush(text("421 4.4.2 " + settings.hostname() + " Error: timeout exceeded\r\n"))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        // If the workers are already stopped, the next hop's socket is closed without a QUIT.
        // (A release that fails half-way leaves a connection the pool will not hand out again:
        // give() happens last.)
        if (!submit(this::release)) {
            upstream.close();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("smtp: connection from {} closed: {}", client, cause.toString());
        ctx.close();
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }
}
