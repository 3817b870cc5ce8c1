package dev.mamori.protocols.http;

import dev.mamori.protocols.transport.BoundListener;
import dev.mamori.protocols.transport.ClientGate;
import dev.mamori.protocols.transport.EventLoops;
import dev.mamori.protocols.transport.Listener;
import dev.mamori.protocols.transport.ListenerException;
import dev.mamori.protocols.transport.TcpListener;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves an {@link HttpService} over HTTP/1.1 with keep-alive, optionally over TLS. Bounded: request
 * line 4 KiB, headers 8 KiB, body 64 KiB (413 past it), connections idle for 60 s are closed. The
 * service runs on the event loop, so it must answer quickly or hand its work elsewhere.
 */
public final class HttpServer implements Listener {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    private static final int MAX_BODY = 64 * 1024;

    private final TcpListener listener;

    private HttpServer(TcpListener listener) {
        this.listener = listener;
    }

    /** What a client outside {@code inputs.http.allowed_clients} is told before the connection closes. */
    private static final String REFUSED;

    static {
        String body = "{\"status\":403,\"error\":\"this address may not use this endpoint\"}";
        REFUSED = "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body;
    }

    /** A server open to anyone, in plain HTTP. */
    public static HttpServer bind(InetSocketAddress address, EventLoops loops, HttpService service)
            throws ListenerException {
        return bind(address, loops, service, ClientGate.anyone("http"), null);
    }

    /** @param tls when not null, HTTPS only */
    public static HttpServer bind(
            InetSocketAddress address, EventLoops loops, HttpService service, ClientGate clients, SslContext tls)
            throws ListenerException {
        ChannelHandler init = new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (!clients.admit(ch, tls == null ? REFUSED : null)) {
                    return;
                }
                if (tls != null) {
                    ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                }
                ch.pipeline()
                        .addLast(new IdleStateHandler(0, 0, 60, TimeUnit.SECONDS))
                        .addLast(new HttpServerCodec(4096, 8192, 8192))
                        .addLast(new HttpObjectAggregator(MAX_BODY))
                        .addLast(new ServiceHandler(service));
            }
        };
        return new HttpServer(TcpListener.bind("http", tls == null ? "tcp" : "tls", address, loops, init));
    }

    public BoundListener bound() {
        return listener.bound();
    }

    @Override
    public List<BoundListener> bindings() {
        return List.of(bound());
    }

    @Override
    public void stopAccepting() {
        listener.stopAccepting();
    }

    @Override
    public void closeConnections(Duration timeout) {
        listener.closeConnections(timeout);
    }

    private static final class ServiceHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final HttpService service;

        ServiceHandler(HttpService service) {
            this.service = service;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            boolean head = req.method().equals(HttpMethod.HEAD);
            HttpVersion version = req.protocolVersion();
            if (req.decoderResult().isFailure()) {
                write(
                        ctx,
                        HttpReply.error(
                                400,
                                "malformed request: "
                                        + req.decoderResult().cause().getMessage()),
                        false,
                        head,
                        version);
                return;
            }
            QueryStringDecoder q = new QueryStringDecoder(req.uri());
            HttpRequestView view = new HttpRequestView(
                    req.method().name(),
                    q.path(),
                    q.parameters(),
                    req.headers().get(HttpHeaderNames.ACCEPT),
                    req.headers().get(HttpHeaderNames.AUTHORIZATION));
            CompletableFuture<HttpReply> reply;
            try {
                reply = service.handle(view);
            } catch (RuntimeException e) {
                log.error("http: {} {} failed", view.method(), view.path(), e);
                reply = CompletableFuture.completedFuture(HttpReply.error(500, "internal error"));
            }
            if (reply.isDone()) {
                write(ctx, reply.join(), keepAlive, head, version);
                return;
            }
            // Answers stay in request order: read nothing more until this one is written.
            ctx.channel().config().setAutoRead(false);
            reply.whenComplete((r, e) -> ctx.executor().execute(() -> {
                write(ctx, r != null ? r : HttpReply.error(500, "internal error"), keepAlive, head, version);
                ctx.channel().config().setAutoRead(true);
            }));
        }

        private static void write(
                ChannelHandlerContext ctx, HttpReply reply, boolean keepAlive, boolean head, HttpVersion version) {
            FullHttpResponse res = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(reply.status()),
                    head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(reply.body()));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
            res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            for (Map.Entry<String, String> h : reply.headers().entrySet()) {
                res.headers().set(h.getKey(), h.getValue());
            }
            if (keepAlive) {
                if (!version.isKeepAliveDefault()) {
                    res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                }
                ctx.writeAndFlush(res);
            } else {
                res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
            } else {
                super.userEventTriggered(ctx, evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("http: connection from {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
