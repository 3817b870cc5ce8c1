package dev.mamori.protocols.syslog;

import dev.mamori.protocols.transport.BoundListener;
import dev.mamori.protocols.transport.ClientGate;
import dev.mamori.protocols.transport.ConnectionLimit;
import dev.mamori.protocols.transport.EventLoops;
import dev.mamori.protocols.transport.Listener;
import dev.mamori.protocols.transport.ListenerException;
import dev.mamori.protocols.transport.TcpListener;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The syslog listeners: UDP (one datagram, one message), TCP and TLS (RFC 6587 framing, RFC 5425
 * for TLS). All three share the parser and hand messages to the same {@link SyslogEvents}.
 */
public final class SyslogServer implements Listener {

    private static final Logger log = LoggerFactory.getLogger(SyslogServer.class);

    /**
     * Listener settings; a port of -1 turns that transport off. {@code clients} decides who may send:
     * a refused TCP or TLS client is disconnected, a refused datagram dropped.
     */
    public record Settings(
            String bind,
            int udpPort,
            int tcpPort,
            int tlsPort,
            int maxMessageSize,
            int maxConnections,
            Duration idleTimeout,
            int udpReceiveBuffer,
            SslContext tls,
            ClientGate clients) {

        /** Settings open to anyone. */
        public Settings(
                String bind,
                int udpPort,
                int tcpPort,
                int tlsPort,
                int maxMessageSize,
                int maxConnections,
                Duration idleTimeout,
                int udpReceiveBuffer,
                SslContext tls) {
            this(
                    bind,
                    udpPort,
                    tcpPort,
                    tlsPort,
                    maxMessageSize,
                    maxConnections,
                    idleTimeout,
                    udpReceiveBuffer,
                    tls,
                    ClientGate.anyone("syslog"));
        }
    }

    private final List<TcpListener> streams = new ArrayList<>();
    private final List<BoundListener> bound = new ArrayList<>();
    private Channel udp;

    private SyslogServer() {}

    public static SyslogServer start(Settings settings, EventLoops loops, SyslogParser parser, SyslogEvents events)
            throws ListenerException {
        SyslogServer server = new SyslogServer();
        try {
            ConnectionLimit connections = new ConnectionLimit("syslog", settings.maxConnections());
            if (settings.tcpPort() >= 0) {
                server.stream("tcp", settings.tcpPort(), null, settings, loops, parser, events, connections);
            }
            if (settings.tlsPort() >= 0) {
                server.stream("tls", settings.tlsPort(), settings.tls(), settings, loops, parser, events, connections);
            }
            if (settings.udpPort() >= 0) {
                server.datagram(settings, loops, parser, events);
            }
        } catch (ListenerException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void stream(
            String transport,
            int port,
            SslContext tls,
            Settings s,
            EventLoops loops,
            SyslogParser parser,
            SyslogEvents events,
            ConnectionLimit connections)
            throws ListenerException {
        ChannelHandler init = new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (!s.clients().admit(ch, null)) {
                    return;
                }
                if (!connections.admit(ch, null, () -> events.dropped(transport, SyslogEvents.TOO_MANY_CONNECTIONS))) {
                    return;
                }
                events.connectionOpened(transport);
                ch.closeFuture().addListener(f -> events.connectionClosed(transport));
                if (tls != null) {
                    ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                }
                ch.pipeline()
                        .addLast(new IdleStateHandler(s.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                        .addLast(new ByteCounter(transport, events))
                        .addLast(new SyslogFrameDecoder(
                                s.maxMessageSize(), () -> events.dropped(transport, SyslogEvents.OVERSIZE)))
                        .addLast(new SyslogFrameHandler(transport, parser, events, s.maxMessageSize(), s.clients()));
            }
        };
        TcpListener l = TcpListener.bind("syslog", transport, new InetSocketAddress(s.bind(), port), loops, init);
        streams.add(l);
        bound.add(l.bound());
    }

    /** The largest UDP payload (over IPv6; IPv4's is 20 bytes less). */
    static final int MAX_UDP_PAYLOAD = 65_527;
    /** Datagrams taken per system call at most, and the buffer they share. */
    static final int UDP_BATCH = 32;

    static final int UDP_READ_BUFFER = 1 << 20;

    private void datagram(Settings s, EventLoops loops, SyslogParser parser, SyslogEvents events)
            throws ListenerException {
        InetSocketAddress address = new InetSocketAddress(s.bind(), s.udpPort());
        Bootstrap b = new Bootstrap()
                .group(loops.datagrams())
                .channel(loops.datagramChannelType())
                .option(ChannelOption.SO_RCVBUF, s.udpReceiveBuffer())
                .handler(new SyslogFrameHandler("udp", parser, events, s.maxMessageSize(), s.clients()));
        ChannelOption<Integer> slotOption = loops.datagramSlotOption();
        if (slotOption != null) {
            // Many datagrams per system call (recvmmsg, or io_uring's batched recvmsg), each in a
            // slot one byte longer than the largest message: a datagram that fills its slot is too
            // long (or was cut to fit) and is dropped and counted as oversize by the handler, never
            // passed on truncated.
            int slot = Math.min(s.maxMessageSize() + 1, MAX_UDP_PAYLOAD);
            int slots = Math.max(2, Math.min(UDP_BATCH, UDP_READ_BUFFER / slot));
            b.option(slotOption, slot)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(slot * slots));
        } else {
            // A datagram larger than the buffer would be truncated silently: take the largest.
            b.option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65_536));
        }
        ChannelFuture f = b.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new ListenerException("syslog", "udp", address, f.cause());
        }
        udp = f.channel();
        Object granted = udp.config().getOption(ChannelOption.SO_RCVBUF);
        if (granted instanceof Integer g && g < s.udpReceiveBuffer()) {
            log.warn(
                    "syslog udp: asked for a {} byte receive buffer, the kernel granted {} (raise net.core.rmem_max)",
                    s.udpReceiveBuffer(),
                    g);
        }
        bound.add(new BoundListener("syslog", "udp", (InetSocketAddress) udp.localAddress()));
    }

    @Override
    public List<BoundListener> bindings() {
        return List.copyOf(bound);
    }

    public List<BoundListener> listeners() {
        return bindings();
    }

    /** Stops taking new connections and datagrams; open TCP/TLS connections go on. */
    @Override
    public void stopAccepting() {
        if (udp != null) {
            udp.close().awaitUninterruptibly();
        }
        streams.forEach(TcpListener::stopAccepting);
    }

    @Override
    public void closeConnections(Duration timeout) {
        streams.forEach(l -> l.closeConnections(timeout));
    }

    /** Counts raw bytes received on a stream before framing. */
    private static final class ByteCounter extends ChannelInboundHandlerAdapter {
        private final String transport;
        private final SyslogEvents events;

        ByteCounter(String transport, SyslogEvents events) {
            this.transport = transport;
            this.events = events;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b) {
                events.bytes(transport, b.readableBytes());
            }
            ctx.fireChannelRead(msg);
        }
    }
}
