package dev.mamori.protocols.syslog;

import dev.mamori.protocols.transport.ClientGate;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns frames into messages for one connection (TCP, TLS) or for the UDP socket: decodes UTF-8
 * (malformed bytes replaced), parses, and hands the message on. The sender's address stands in for
 * the host of headerless lines.
 */
final class SyslogFrameHandler extends SimpleChannelInboundHandler<Object> {

    private static final Logger log = LoggerFactory.getLogger(SyslogFrameHandler.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Shared by every connection's handler, so "once a minute" holds however many are open. */
    private static final AtomicLong nextLog = new AtomicLong(System.nanoTime());

    private final String transport;
    private final SyslogParser parser;
    private final SyslogEvents events;
    private final int maxDatagram;
    private final ClientGate clients;
    private String peer;
    /** UDP only: the last datagram's sender. */
    private InetAddress lastSender;

    private String lastSenderText;

    SyslogFrameHandler(
            String transport, SyslogParser parser, SyslogEvents events, int maxDatagram, ClientGate clients) {
        this.transport = transport;
        this.parser = parser;
        this.events = events;
        this.maxDatagram = maxDatagram;
        this.clients = clients;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        peer = address(ctx.channel().remoteAddress());
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DatagramPacket packet) {
            if (!clients.admits(packet.sender())) {
                return;
            }
            ByteBuf content = packet.content();
            events.bytes(transport, content.readableBytes());
            if (content.readableBytes() > maxDatagram) {
                events.dropped(transport, SyslogEvents.OVERSIZE);
                return;
            }
            String sender = sender(packet.sender());
            // One message per datagram (RFC 5426), except that Squid's udp:// access log batches
            // several LF-terminated lines into one datagram: deliver each line.
            int start = content.readerIndex();
            int end = content.writerIndex();
            while (start < end) {
                int lf = content.indexOf(start, end, (byte) '\n');
                int stop = lf < 0 ? end : lf;
                if (stop > start) {
                    deliver(content.toString(start, stop - start, StandardCharsets.UTF_8), sender);
                }
                start = stop + 1;
            }
        } else if (msg instanceof ByteBuf frame) {
            deliver(frame.toString(StandardCharsets.UTF_8), peer);
        }
    }

    /** A firewall sends thousands of datagrams from one address: its text is made once. */
    private String sender(InetSocketAddress a) {
        InetAddress address = a == null ? null : a.getAddress();
        if (address == null) {
            return address(a);
        }
        if (!address.equals(lastSender)) {
            lastSender = address;
            lastSenderText = address.getHostAddress();
        }
        return lastSenderText;
    }

    private void deliver(String text, String sender) {
        try {
            events.message(parser.parse(text, sender), transport);
        } catch (RuntimeException bug) {
            // Thrown into Netty it would close the connection, or for UDP the socket every device
            // sends to: it costs this message instead, counted and logged.
            events.dropped(transport, SyslogEvents.INTERNAL_ERROR);
            if (mayLog()) {
                log.error(
                        "syslog {}: a message from {} could not be handled (counted in"
                                + " mamori_events_dropped_total{reason=\"internal_error\"}; logged at most once a"
                                + " minute)",
                        transport,
                        sender,
                        bug);
            }
        }
    }

    /** Opens the limit now: a test cannot know whether another took this minute's line. */
    static void openLogLimit() {
        nextLog.set(System.nanoTime());
    }

    private static boolean mayLog() {
        long now = System.nanoTime();
        long next = nextLog.get();
        return now - next >= 0 && nextLog.compareAndSet(next, now + LOG_EVERY_NANOS);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            log.debug("syslog {}: closing idle connection from {}", transport, peer);
            ctx.close();
        } else if (evt instanceof SslHandshakeCompletionEvent hs && !hs.isSuccess()) {
            events.dropped(transport, SyslogEvents.TLS_HANDSHAKE);
            log.info(
                    "syslog {}: TLS handshake with {} failed: {}",
                    transport,
                    peer,
                    hs.cause().toString());
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel() instanceof DatagramChannel) {
            // The one socket every device sends to: a failed read is logged, never a reason to close.
            if (mayLog()) {
                log.warn("syslog {}: receive failed (logged at most once a minute): {}", transport, cause.toString());
            }
            return;
        }
        log.info("syslog {}: connection from {} closed: {}", transport, peer, cause.toString());
        ctx.close();
    }

    static String address(SocketAddress a) {
        return a instanceof InetSocketAddress i && i.getAddress() != null
                ? i.getAddress().getHostAddress()
                : String.valueOf(a);
    }
}
