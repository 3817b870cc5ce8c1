package dev.mamori.protocols.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may talk to one input. A listener asks it first, for every accepted connection or datagram;
 * a client outside the allowed set hears the protocol's refusal (if it has one), the connection
 * closes, and the refusal is reported to {@code onRefused} (a counter) and logged at most once per
 * address per minute, so a scanner cannot flood the log.
 *
 * <p>Thread-safe: any event loop may ask.
 */
public final class ClientGate {

    private static final Logger log = LoggerFactory.getLogger(ClientGate.class);
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;
    /** Addresses remembered for log rate limiting; past it the memory starts over. */
    private static final int MAX_REMEMBERED = 10_000;

    private final String input;
    private final Predicate<InetAddress> allowed;
    private final String allowedText;
    private final Consumer<InetAddress> onRefused;
    private final Map<InetAddress, Long> lastLogged = new ConcurrentHashMap<>();

    /**
     * @param allowed whether an address may connect; IPv4-mapped IPv6 addresses are offered as IPv4
     * @param allowedText the allowed set as the operator wrote it, for the log line
     */
    public ClientGate(
            String input, Predicate<InetAddress> allowed, String allowedText, Consumer<InetAddress> onRefused) {
        this.input = Objects.requireNonNull(input);
        this.allowed = Objects.requireNonNull(allowed);
        this.allowedText = allowedText;
        this.onRefused = Objects.requireNonNull(onRefused);
    }

    /** Lets everyone in (tests, and inputs whose operator allowed every address). */
    public static ClientGate anyone(String input) {
        return new ClientGate(input, a -> true, "anyone", a -> {});
    }

    /**
     * Admits a new connection, or refuses it: {@code refusal} (the protocol's own answer, or null for
     * none) is written and the connection closed.
     *
     * @return true when the connection may go on
     */
    public boolean admit(Channel ch, String refusal) {
        InetAddress client = address(ch.remoteAddress());
        if (client == null || allowed.test(client)) {
            return true;
        }
        refused(client);
        if (refusal == null) {
            ch.close();
            return false;
        }
        // A lingering close: a client that already sent its request would otherwise get a reset
        // for its unread bytes, and a reset can wipe the refusal from its receive buffer unread.
        // So: say it, half-close, drop what it sends, and close when it does (2 s at most).
        ch.pipeline().addLast(Discard.INSTANCE);
        ch.writeAndFlush(Unpooled.copiedBuffer(refusal, StandardCharsets.US_ASCII))
                .addListener(f -> {
                    if (f.isSuccess() && ch instanceof DuplexChannel duplex && duplex.isActive()) {
                        duplex.shutdownOutput();
                        ch.eventLoop().schedule(() -> ch.close(), 2, TimeUnit.SECONDS);
                    } else {
                        ch.close();
                    }
                });
        return false;
    }

    /** Admits a datagram's sender; a refused one is counted and logged, and the datagram dropped. */
    public boolean admits(SocketAddress sender) {
        InetAddress client = address(sender);
        if (client == null || allowed.test(client)) {
            return true;
        }
        refused(client);
        return false;
    }

    private void refused(InetAddress client) {
        onRefused.accept(client);
        long now = System.nanoTime();
        Long last = lastLogged.get(client);
        if (last == null || now - last > LOG_EVERY_NANOS) {
            if (lastLogged.size() >= MAX_REMEMBERED) {
                lastLogged.clear();
            }
            lastLogged.put(client, now);
            log.warn(
                    "{}: refused {}: not in allowed_clients ({}); further refusals of it are counted, logged at"
                            + " most once a minute",
                    input,
                    client.getHostAddress(),
                    allowedText);
        }
    }

    /** Drops what a refused client still sends, and closes when it closes its side. */
    @ChannelHandler.Sharable
    private static final class Discard extends ChannelInboundHandlerAdapter {
        static final Discard INSTANCE = new Discard();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The client's address, IPv4-mapped IPv6 turned into IPv4; null for non-IP (embedded, local) channels. */
    static InetAddress address(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress a) || a.getAddress() == null) {
            return null;
        }
        InetAddress ip = a.getAddress();
        if (ip instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = b[i] == 0;
            }
            if (mapped && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException impossible) {
                    return ip;
                }
            }
        }
        return ip;
    }
}
