package dev.mamori.protocols.smtp;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.smtp.SmtpCommand;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP session, relayed command by command on the sender connection's event loop: MAIL and RCPT
 * go to the next hop as they come (pipelined there when it offers PIPELINING) and its answers come
 * back to the sender, so every recipient gets the next hop's own verdict; the message is collected,
 * inspected by the {@link SmtpService} on a worker (the one hand-off per message), then relayed or
 * refused, and the sender's final answer is the next hop's. Nothing is acknowledged that the next hop
 * has not accepted: if it cannot be reached the sender gets 4xx and keeps the message.
 *
 * <p>Answers go out in command order through a {@link ReplyQueue}; reading pauses as {@link ReadFlow}
 * says; the open transaction is a {@link Transaction}; the next-hop leg is a {@link NextHop}.
 */
public final class SmtpSession extends SimpleChannelInboundHandler<SmtpInput> {

    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);
    /** Answers outstanding before reading pauses. */
    static final int MAX_PIPELINED = ReadFlow.MAX_PIPELINED;

    /**
     * Messages up to this size are inspected right on the event loop: for them the hand-off to a
     * worker and back (two thread wake-ups) costs more than the inspection itself.
     */
    static final int INLINE_INSPECTION_MAX = 64 * 1024;

    private static final SmtpReply OK = SmtpReply.of(250, "2.0.0 Ok");
    private static final SmtpReply NEED_MAIL = SmtpReply.of(503, "5.5.1 Error: need MAIL command");
    private static final SmtpReply UNREACHABLE = SmtpReply.of(451, "4.4.1 Next hop not reachable, try again later");
    private static final SmtpReply LOST = SmtpReply.of(451, "4.4.2 Next hop lost during the transfer, try again later");
    private static final SmtpReply LOCAL_ERROR = SmtpReply.of(451, "4.3.0 Local error, try again later");

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
    private final Executor inspectors;
    private final NextHopPool pool;
    private final SslContext tls;
    private final MessageBudget budget;

    private ChannelHandlerContext ctx;
    private ReplyQueue replies;
    private ReadFlow flow;
    /**
     * The session's state is what it holds, as of the last input read (answers may still be on their
     * way): no {@code helo} before HELO/EHLO (and after STARTTLS), a {@link Transaction} from MAIL to
     * the message's fate, and {@code ending} after QUIT or when the server stops: nothing new starts.
     */
    private boolean ending;

    private String helo;
    private String client = "";
    private final Map<String, String> xforward = new LinkedHashMap<>();
    private boolean secured;
    private NextHop hop;
    private Transaction tx;

    /** A message is with the inspectors: its next-hop connection is not handed back meanwhile. */
    private boolean inspecting;

    private boolean stopping;
    private boolean gone;
    /** Inside {@link #channelRead0}, called by the decoder: it must not be driven again from here. */
    private boolean decoding;

    /**
     * @param inspectors where {@link SmtpService#inspect} runs
     * @param tls offered as STARTTLS when not null
     */
    public SmtpSession(
            Settings settings,
            SmtpService service,
            SmtpRequestDecoder decoder,
            Executor inspectors,
            SslContext tls,
            MessageBudget budget,
            NextHopPool pool) {
        this.settings = settings;
        this.service = service;
        this.decoder = decoder;
        this.inspectors = inspectors;
        this.tls = tls;
        this.budget = budget;
        this.pool = pool;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.flow = new ReadFlow(ctx.channel());
        this.replies = new ReplyQueue(ctx, () -> {
            flow.update(replies.size());
            goodbyeIfDone();
        });
    }

    /**
     * The server is stopping: once what this session has in flight is answered, it says 421 and
     * closes, so the sender keeps any message it had not been told 250 for.
     */
    public void shutdown() {
        ChannelHandlerContext c = ctx;
        if (c != null) {
            c.executor().execute(() -> {
                stopping = true;
                ending = true;
                goodbyeIfDone();
            });
        }
    }

    private void goodbyeIfDone() {
        if (stopping && replies.size() == 0 && !flow.awaiting() && ctx.channel().isActive()) {
            ctx.writeAndFlush(text("421 4.3.2 " + settings.hostname() + " Service shutting down\r\n"))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null) {
            client = a.getAddress().getHostAddress();
        }
        replies.answer(SmtpReply.of(220, settings.hostname() + " ESMTP Mamori"));
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SmtpInput input) {
        replies.reading();
        if (ending) {
            // after QUIT, or 421 follows once the answers in flight are written: nothing new starts
            if (input instanceof SmtpInput.Message m) {
                budget.release(m.content().length);
            }
            return;
        }
        decoding = true;
        try {
            if (input instanceof SmtpInput.LineTooLong) {
                replies.answer(SmtpReply.of(500, "5.5.2 Line too long"));
            } else if (input instanceof SmtpInput.Message m) {
                message(m);
            } else {
                command((SmtpInput.Command) input);
            }
        } catch (RuntimeException e) {
            // a bug, not the sender's doing: say so and end rather than leave answers or the decoder hanging
            log.error("smtp: session from {} failed", client, e);
            ctx.writeAndFlush(text("421 4.3.0 " + settings.hostname() + " Local error, closing\r\n"))
                    .addListener(ChannelFutureListener.CLOSE);
        } finally {
            decoding = false;
        }
        flow.update(replies.size());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        replies.readComplete();
        super.channelReadComplete(ctx);
    }

    private void command(SmtpInput.Command c) {
        String arg = c.argument().strip();
        switch (c.verb()) {
            case "EHLO" -> {
                hello(arg);
                List<String> lines = new ArrayList<>(List.of(
                        settings.hostname(),
                        "PIPELINING",
                        "SIZE " + settings.maxMessageSize(),
                        "8BITMIME",
                        "ENHANCEDSTATUSCODES",
                        "SMTPUTF8",
                        "DSN"));
                if (tls != null && !secured) {
                    lines.add("STARTTLS");
                }
                lines.add("XFORWARD NAME ADDR PROTO HELO SOURCE PORT IDENT");
                replies.answer(new SmtpReply(250, lines));
            }
            case "HELO" -> {
                hello(arg);
                replies.answer(SmtpReply.of(250, settings.hostname()));
            }
            case "XFORWARD" -> {
                for (String attr : arg.split(" ")) {
                    int eq = attr.indexOf('=');
                    if (eq > 0) {
                        xforward.put(attr.substring(0, eq).toUpperCase(Locale.ROOT), attr.substring(eq + 1));
                    }
                }
                replies.answer(OK);
            }
            case "MAIL" -> mail(arg);
            case "RCPT" -> rcpt(arg);
            case "DATA" -> data();
            case "RSET" -> {
                endTransaction();
                replies.answer(OK);
            }
            case "NOOP" -> replies.answer(OK);
            case "VRFY" -> replies.answer(SmtpReply.of(252, "2.0.0 Cannot VRFY user, but will accept message"));
            case "HELP" -> replies.answer(SmtpReply.of(214, "2.0.0 See RFC 5321"));
            case "QUIT" -> {
                ending = true;
                release();
                replies.fill(
                        replies.add(
                                r -> ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE)),
                        SmtpReply.of(221, "2.0.0 Bye"));
            }
            case "BDAT" -> {
                flow.await();
                replies.fill(replies.add(r -> goOn()), SmtpReply.of(502, "5.5.1 Error: CHUNKING not offered"));
            }
            case "STARTTLS" -> startTls(arg);
            default -> replies.answer(SmtpReply.of(502, "5.5.2 Error: command not recognized"));
        }
    }

    private void hello(String name) {
        helo = name;
        endTransaction();
    }

    /** RFC 3207: after 220 both sides forget the session so far; the client says EHLO again. */
    private void startTls(String arg) {
        flow.await();
        ReplyQueue.Slot slot = replies.add(this::afterStartTls);
        if (tls == null) {
            replies.fill(slot, SmtpReply.of(502, "5.5.1 Error: STARTTLS not offered"));
        } else if (secured) {
            replies.fill(slot, SmtpReply.of(503, "5.5.1 Error: TLS already active"));
        } else if (!arg.isEmpty()) {
            replies.fill(slot, SmtpReply.of(501, "5.5.4 Syntax: STARTTLS"));
        } else {
            endTransaction();
            helo = null;
            xforward.clear();
            secured = true;
            replies.fill(slot, SmtpReply.of(220, "2.0.0 Ready to start TLS"));
        }
    }

    private void afterStartTls(SmtpReply reply) {
        if (reply.code() != 220) {
            goOn();
            return;
        }
        // the 220 is already queued below this point in clear text; everything after it is TLS
        ctx.pipeline().addFirst("tls", new SslHandler(tls.newEngine(ctx.alloc()), false));
        // what the client sent after STARTTLS in clear text is dropped (CVE-2011-0411)
        decoder.discardBufferedAndResume();
        replies.flush();
        flow.answered();
        goOnDecoding();
    }

    private void mail(String arg) {
        if (helo == null) {
            replies.answer(SmtpReply.of(503, "5.5.1 Error: send HELO/EHLO first"));
            return;
        }
        if (tx != null) {
            replies.answer(SmtpReply.of(503, "5.5.1 Error: nested MAIL command"));
            return;
        }
        if (!arg.regionMatches(true, 0, "FROM:", 0, 5)) {
            replies.answer(SmtpReply.of(501, "5.5.4 Syntax: MAIL FROM:<address>"));
            return;
        }
        for (String p : arg.substring(5).split(" ")) {
            if (p.regionMatches(true, 0, "SIZE=", 0, 5)) {
                try {
                    if (Long.parseLong(p.substring(5)) > settings.maxMessageSize()) {
                        replies.answer(SmtpReply.of(552, "5.3.4 Message size exceeds fixed limit"));
                        return;
                    }
                } catch (NumberFormatException e) {
                    replies.answer(SmtpReply.of(501, "5.5.4 Bad SIZE parameter"));
                    return;
                }
            }
        }
        if (hop == null || hop.state() == NextHop.State.CLOSED) {
            hop = pool.take(ctx.channel().eventLoop());
        }
        Transaction t = new Transaction(hop, address(arg.substring(5)));
        tx = t;
        if (!xforward.isEmpty()) {
            StringBuilder attrs = new StringBuilder();
            xforward.forEach((k, v) -> attrs.append(attrs.isEmpty() ? "" : " ")
                    .append(k)
                    .append('=')
                    .append(v));
            hop.sendIfOffered("XFORWARD", NextHop.XFORWARD, attrs.toString()).addListener((Future<SmtpReply> f) -> {
                if (f.isSuccess() && !f.getNow().positive()) {
                    log.debug(
                            "smtp: next hop refused XFORWARD: {}",
                            f.getNow().wire().strip());
                }
            });
        }
        ReplyQueue.Slot slot = replies.add(null);
        hop.send(SmtpCommand.MAIL, arg).addListener((Future<SmtpReply> f) -> {
            if (f.isSuccess() && f.getNow().positive()) {
                replies.fill(slot, f.getNow());
            } else {
                t.refused();
                if (tx == t) {
                    tx = null;
                }
                if (f.isSuccess()) {
                    replies.fill(slot, relayed(f.getNow()));
                } else {
                    log.info(
                            "smtp: next hop {}:{} unreachable: {}",
                            settings.nextHopHost(),
                            settings.nextHopPort(),
                            f.cause().getMessage());
                    service.outcome("deferred");
                    replies.fill(slot, UNREACHABLE);
                }
            }
        });
    }

    private void rcpt(String arg) {
        if (tx == null) {
            replies.answer(NEED_MAIL);
            return;
        }
        if (!arg.regionMatches(true, 0, "TO:", 0, 3)) {
            replies.answer(SmtpReply.of(501, "5.5.4 Syntax: RCPT TO:<address>"));
            return;
        }
        if (tx.recipientsCounted() >= settings.maxRecipients()) {
            replies.answer(SmtpReply.of(452, "4.5.3 Error: too many recipients"));
            return;
        }
        Transaction t = tx;
        String recipient = address(arg.substring(3));
        ReplyQueue.Slot slot = replies.add(null);
        t.asked();
        t.hop.send(SmtpCommand.RCPT, arg).addListener((Future<SmtpReply> f) -> {
            if (t.isRefused()) {
                // the MAIL before it did not get through: as if it had come without one
                t.answeredRecipient(null);
                replies.fill(slot, NEED_MAIL);
            } else if (f.isSuccess()) {
                t.answeredRecipient(f.getNow().positive() ? recipient : null);
                replies.fill(slot, relayed(f.getNow()));
            } else {
                t.answeredRecipient(null);
                t.refused();
                if (tx == t) {
                    tx = null;
                    service.outcome("deferred");
                }
                replies.fill(slot, UNREACHABLE);
            }
        });
    }

    /**
     * DATA goes to the next hop at once, behind the MAIL and RCPTs still unanswered, and its 354 is
     * the sender's: the message then needs no further round trip before it is sent on.
     */
    private void data() {
        flow.await();
        ReplyQueue.Slot slot = replies.add(this::afterData);
        Transaction t = tx;
        if (t == null) {
            replies.fill(slot, NEED_MAIL);
            return;
        }
        t.hop.startData().addListener((Future<SmtpReply> f) -> {
            if (!f.isSuccess()) {
                dropped(t);
                if (t.isRefused()) {
                    replies.fill(slot, NEED_MAIL); // the MAIL's failure was answered and counted
                } else {
                    service.outcome("deferred");
                    replies.fill(slot, LOST);
                }
            } else if (f.getNow().code() != 354) {
                dropped(t);
                replies.fill(slot, t.isRefused() ? NEED_MAIL : relayed(f.getNow()));
            } else if (t.isRefused() || t.recipients().isEmpty() || tx != t) {
                // a next hop that says 354 without a recipient (or a transaction given up meanwhile)
                t.dataStarted();
                t.abort();
                dropped(t);
                replies.fill(slot, t.isRefused() ? NEED_MAIL : SmtpReply.of(554, "5.5.1 Error: no valid recipients"));
            } else {
                t.dataStarted();
                replies.fill(slot, SmtpReply.of(354, "End data with <CR><LF>.<CR><LF>"));
            }
        });
    }

    /** The transaction is over (refused, lost, or given up) if it is still the open one. */
    private void dropped(Transaction t) {
        if (tx == t) {
            tx = null;
        }
    }

    private void afterData(SmtpReply reply) {
        if (reply.code() == 354) {
            decoder.startData();
            replies.flush();
            flow.answered();
            goOnDecoding();
        } else {
            goOn();
        }
    }

    private void message(SmtpInput.Message m) {
        // commands pipelined behind the message wait until it has been passed on (see goOn)
        flow.await();
        Transaction t = tx;
        ReplyQueue.Slot slot = replies.add(null);
        if (m.tooLarge() || m.noStorage()) {
            budget.release(m.content().length);
            endTransaction();
            if (m.tooLarge()) {
                service.outcome("rejected");
                replies.fill(slot, SmtpReply.of(552, "5.3.4 Message size exceeds fixed limit"));
            } else {
                service.outcome("deferred");
                log.warn("smtp: message from {} deferred: the relay holds its limit of message bytes", client);
                replies.fill(slot, SmtpReply.of(452, "4.3.1 Insufficient system storage, try again later"));
            }
            goOn();
            return;
        }
        inspecting = true;
        SmtpService.Envelope envelope = new SmtpService.Envelope(client, helo, t.mailFrom, t.recipients(), xforward);
        if (m.content().length <= INLINE_INSPECTION_MAX) {
            inspected(t, slot, m, inspect(envelope, m));
            return;
        }
        try {
            inspectors.execute(() -> {
                SmtpService.Verdict v = inspect(envelope, m);
                ctx.executor().execute(() -> inspected(t, slot, m, v));
            });
        } catch (RejectedExecutionException stopping) {
            inspected(t, slot, m, null);
        }
    }

    /** The service's verdict, or null if it failed. */
    private SmtpService.Verdict inspect(SmtpService.Envelope envelope, SmtpInput.Message m) {
        try {
            return service.inspect(envelope, m.content());
        } catch (RuntimeException e) {
            log.error("smtp: inspecting a message from {} failed", client, e);
            return null;
        }
    }

    /** On the event loop: the message's verdict (null if there is none) is carried out. */
    private void inspected(Transaction t, ReplyQueue.Slot slot, SmtpInput.Message m, SmtpService.Verdict v) {
        inspecting = false;
        tx = null;
        if (v == null || gone) {
            // no verdict, or the sender left before hearing one: it keeps the message
            budget.release(m.content().length);
            t.abort();
            replies.fill(slot, LOCAL_ERROR);
        } else if (v instanceof SmtpService.Reject reject) {
            budget.release(m.content().length);
            service.outcome("rejected");
            t.abort();
            replies.fill(slot, SmtpReply.parse(reject.reply(), 554));
        } else {
            SmtpService.Relay relay = (SmtpService.Relay) v;
            t.hop.content(DotStuffing.stuff(relay.message())).addListener((Future<SmtpReply> f) -> {
                budget.release(m.content().length);
                if (f.isSuccess()) {
                    SmtpReply r = f.getNow();
                    service.outcome(r.positive() ? relay.verdict() : r.code() >= 500 ? "rejected" : "deferred");
                    replies.fill(slot, relayed(r));
                } else {
                    log.info(
                            "smtp: next hop lost during a transfer from {}: {}",
                            client,
                            f.cause().getMessage());
                    service.outcome("deferred");
                    replies.fill(slot, LOST);
                }
            });
        }
        if (gone) {
            release();
        } else {
            goOn();
        }
    }

    /**
     * The next hop's answer as the sender gets it: any 4xx becomes 451 with the next hop's text (and
     * enhanced code), so the sender retries.
     */
    private static SmtpReply relayed(SmtpReply r) {
        return r.temporary() ? new SmtpReply(451, r.lines()) : r;
    }

    /** Ends the transaction here and at the next hop. */
    private void endTransaction() {
        if (tx != null) {
            tx.abort();
            tx = null;
        }
    }

    /** The session is over: its next-hop connection goes back to the pool once it is settled. */
    private void release() {
        endTransaction();
        NextHop h = hop;
        hop = null;
        if (h != null) {
            h.whenSettled(() -> pool.give(h));
        }
    }

    /** The decoder may go on with commands (after a refused DATA, BDAT or STARTTLS, or a message passed on). */
    private void goOn() {
        decoder.resume();
        replies.flush();
        flow.answered();
        goodbyeIfDone();
        goOnDecoding();
    }

    /** Lets the decoder work on what it holds (a pipelined command after the one it waited on). */
    private void goOnDecoding() {
        if (gone) {
            return;
        }
        if (decoding) {
            // called back from the decoder: drive it again once this read is over
            ctx.executor().execute(this::goOnDecoding);
            return;
        }
        flow.update(replies.size());
        try {
            decoder.channelRead(ctx.pipeline().context(decoder), Unpooled.EMPTY_BUFFER);
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
        }
        replies.readComplete();
        flow.update(replies.size());
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
        gone = true;
        if (!inspecting) {
            release();
        }
        // else the message is not relayed (inspected() sees gone) and the connection goes back then
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("smtp: connection from {} closed: {}", client, cause.toString());
        ctx.close();
    }

    private static io.netty.buffer.ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }
}
