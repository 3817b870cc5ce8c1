package dev.mamori.protocols.icap;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one connection's ICAP requests in order. The verdict comes from the HTTP head, so bodies
 * are never buffered: after a preview the answer is given at once (204, or the block page; RFC 3507
 * allows 204 after a preview even without {@code Allow: 204}), and a client that sends a body
 * without preview and without {@code Allow: 204} gets its request echoed, the body streamed back
 * chunk by chunk.
 *
 * <p>Per-request states: {@link Mode#IDLE}, {@link Mode#AWAIT_PREVIEW} (verdict known, waiting for
 * the preview's end), {@link Mode#DISCARD} (answer given, rest of the body read and dropped),
 * {@link Mode#ANSWER_AT_END} (answer when the body ends), {@link Mode#ECHO} (streaming the body back).
 * What the service leaves for after the answer (its alerts) runs once the answer is written, or
 * once the verdict is taken when the answer waits for a body.
 */
final class IcapServerHandler extends SimpleChannelInboundHandler<IcapMessage> {

    private static final Logger log = LoggerFactory.getLogger(IcapServerHandler.class);

    enum Mode {
        IDLE,
        AWAIT_PREVIEW,
        DISCARD,
        ANSWER_AT_END,
        ECHO
    }

    private final IcapService service;
    private final IcapRequestDecoder decoder;
    private final int maxConnections;
    private Mode mode = Mode.IDLE;
    private IcapRequest current;
    private IcapService.Verdict verdict;
    private final List<Runnable> afterAnswer = new ArrayList<>(1);
    private String peer;

    IcapServerHandler(IcapService service, IcapRequestDecoder decoder, int maxConnections) {
        super(false);
        this.service = service;
        this.decoder = decoder;
        this.maxConnections = maxConnections;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        peer = ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress()
                : String.valueOf(ctx.channel().remoteAddress());
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, IcapMessage msg) {
        if (msg instanceof IcapRequest r) {
            request(ctx, r);
        } else if (msg instanceof IcapMessage.BodyChunk c) {
            chunk(ctx, c.data());
        } else if (msg instanceof IcapMessage.BodyEnd end) {
            bodyEnd(ctx, end);
        } else if (msg instanceof IcapMessage.Bad bad) {
            refuse(ctx, bad.status(), bad.reason());
        }
    }

    private void request(ChannelHandlerContext ctx, IcapRequest r) {
        String method = r.method();
        boolean reqmodService = r.service().equals("/reqmod");
        boolean respmodService = r.service().equals("/respmod");
        if (!reqmodService && !respmodService) {
            refuse(ctx, 404, "no ICAP service at " + r.service());
            return;
        }
        if (method.equals("OPTIONS")) {
            ctx.writeAndFlush(IcapResponses.options(
                            ctx.alloc(),
                            reqmodService ? "REQMOD" : "RESPMOD",
                            service.istag(),
                            maxConnections,
                            r.closeAfter()))
                    .addListener(
                            r.closeAfter()
                                    ? ChannelFutureListener.CLOSE
                                    : ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
            service.answered("OPTIONS", "allowed");
            return;
        }
        if (!(method.equals("REQMOD") && reqmodService) && !(method.equals("RESPMOD") && respmodService)) {
            refuse(
                    ctx,
                    method.equals("REQMOD") || method.equals("RESPMOD") ? 405 : 400,
                    method + " is not served at " + r.service());
            return;
        }
        current = r;
        verdict = method.equals("REQMOD") && r.http() != null
                ? service.reqmod(r, peer, afterAnswer::add)
                : IcapService.ALLOW;
        boolean block = verdict instanceof IcapService.Block;
        if (!r.body()) {
            answer(ctx);
        } else if (r.preview() >= 0) {
            mode = Mode.AWAIT_PREVIEW;
        } else if (block) {
            answer(ctx); // the body still comes: read and drop it
            mode = Mode.DISCARD;
        } else if (r.allows204()) {
            mode = Mode.ANSWER_AT_END;
        } else {
            startEcho(ctx);
            ctx.flush();
        }
        runAfterAnswer();
    }

    /** The service's work left for after the answer; its failure cannot change the answer any more. */
    private void runAfterAnswer() {
        for (int i = 0; i < afterAnswer.size(); i++) {
            try {
                afterAnswer.get(i).run();
            } catch (RuntimeException e) {
                log.warn("icap: internal error after answering a request from {}", peer, e);
                service.failed(e);
            }
        }
        afterAnswer.clear();
    }

    private void chunk(ChannelHandlerContext ctx, ByteBuf data) {
        try {
            if (mode == Mode.ECHO) {
                ctx.write(IcapResponses.chunk(ctx.alloc(), data));
            }
        } finally {
            data.release();
        }
    }

    private void bodyEnd(ChannelHandlerContext ctx, IcapMessage.BodyEnd end) {
        switch (mode) {
            case AWAIT_PREVIEW -> {
                // RFC 3507 4.5: after a preview, 204 is allowed whether or not the client sent
                // "Allow: 204", so the rest of the body is never needed: answer now.
                if (!end.ieof()) {
                    decoder.nextRequest(); // a final answer after a preview ends the request
                }
                previewAnswer(ctx);
            }
            case ANSWER_AT_END -> answer(ctx);
            case ECHO -> finishEcho(ctx);
            case DISCARD -> done(ctx);
            default -> {
                // a body end with no request in progress cannot come from the decoder
            }
        }
    }

    private void previewAnswer(ChannelHandlerContext ctx) {
        if (verdict instanceof IcapService.Block) {
            answer(ctx);
        } else {
            ctx.writeAndFlush(IcapResponses.noContent(service.istag(), current.closeAfter()));
            service.answered(current.method(), "allowed");
            done(ctx);
        }
    }

    /** The final answer: the block page, 204, or (204 not allowed) the request echoed. */
    private void answer(ChannelHandlerContext ctx) {
        boolean close = current.closeAfter();
        if (verdict instanceof IcapService.Block b) {
            ctx.writeAndFlush(IcapResponses.blocked(ctx.alloc(), service.istag(), b.rule(), b.reason(), close));
            service.answered(current.method(), "blocked");
            done(ctx);
        } else if (current.allows204()) {
            ctx.writeAndFlush(IcapResponses.noContent(service.istag(), close));
            service.answered(current.method(), "allowed");
            done(ctx);
        } else {
            startEcho(ctx);
            finishEcho(ctx);
        }
    }

    /** Writes the echo head; the body, if any, is streamed back as it arrives. */
    private void startEcho(ChannelHandlerContext ctx) {
        ctx.write(IcapResponses.echoHead(ctx.alloc(), current, service.istag(), current.closeAfter()));
        mode = Mode.ECHO;
    }

    private void finishEcho(ChannelHandlerContext ctx) {
        if (current.body()) {
            ctx.write(IcapResponses.lastChunk(ctx.alloc()));
        }
        ctx.flush();
        service.answered(current.method(), "allowed");
        done(ctx);
    }

    private void done(ChannelHandlerContext ctx) {
        boolean close = current != null && current.closeAfter();
        mode = Mode.IDLE;
        current = null;
        verdict = null;
        if (close) {
            ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void refuse(ChannelHandlerContext ctx, int status, String reason) {
        service.refused(status, reason);
        log.debug("icap: refusing request from {}: {} {}", peer, status, reason);
        if (mode == Mode.ECHO) {
            // our 200 is already on its way with part of the body: an error now would land inside
            // that chunked body, so the answer is cut off and the client sees the message fail
            ctx.close();
            return;
        }
        ctx.writeAndFlush(IcapResponses.error(ctx.alloc(), status, service.istag()))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    /** Echoed chunks are written as they arrive and flushed once per read, not once per chunk. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (mode == Mode.ECHO) {
            ctx.flush();
        }
        super.channelReadComplete(ctx);
    }

    /**
     * A peer that resets or breaks the connection is routine; anything else is Mamori's own failure:
     * the client hears a 500 rather than a silent close, and it is logged and counted as such.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("icap: connection from {} closed: {}", peer, cause.toString());
            ctx.close();
            return;
        }
        log.warn("icap: internal error on the connection from {}", peer, cause);
        service.failed(cause);
        runAfterAnswer(); // what the verdict found (its alerts) still counts
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(IcapResponses.error(ctx.alloc(), 500, service.istag()))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        // Echoing a large body to a slow reader: stop reading until it catches up.
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        super.channelWritabilityChanged(ctx);
    }
}
