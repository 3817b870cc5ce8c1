package dev.mamori.protocols.icap;

import dev.mamori.protocols.transport.BoundListener;
import dev.mamori.protocols.transport.ClientGate;
import dev.mamori.protocols.transport.ConnectionLimit;
import dev.mamori.protocols.transport.EventLoops;
import dev.mamori.protocols.transport.Listener;
import dev.mamori.protocols.transport.ListenerException;
import dev.mamori.protocols.transport.TcpListener;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The ICAP listener: {@code /reqmod} and {@code /respmod} services on one TCP port. */
public final class IcapServer implements Listener {

    /** The listener's name (logs, /health, its own event loops in {@code LoopSizes}). */
    public static final String LISTENER = "icap";

    /** Listener bounds. */
    public record Settings(
            String bind,
            int port,
            int maxConnections,
            int maxHeaderSize,
            int maxEncapsulatedSize,
            Duration idleTimeout,
            ClientGate clients) {

        /** Settings open to anyone. */
        public Settings(
                String bind,
                int port,
                int maxConnections,
                int maxHeaderSize,
                int maxEncapsulatedSize,
                Duration idleTimeout) {
            this(
                    bind,
                    port,
                    maxConnections,
                    maxHeaderSize,
                    maxEncapsulatedSize,
                    idleTimeout,
                    ClientGate.anyone("icap"));
        }
    }

    private final TcpListener listener;

    private IcapServer(TcpListener listener) {
        this.listener = listener;
    }

    public static IcapServer start(Settings s, EventLoops loops, IcapService service) throws ListenerException {
        ConnectionLimit connections = new ConnectionLimit("icap", s.maxConnections());
        ChannelHandler init = new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (!s.clients().admit(ch, IcapResponses.FORBIDDEN)) {
                    return;
                }
                if (!connections.admit(ch, null, () -> service.refused(503, "too many connections"))) {
                    return;
                }
                IcapRequestDecoder decoder = new IcapRequestDecoder(s.maxHeaderSize(), s.maxEncapsulatedSize());
                ch.pipeline()
                        .addLast(new IdleStateHandler(0, 0, s.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                        .addLast(decoder)
                        .addLast(new IcapServerHandler(service, decoder, s.maxConnections()));
            }
        };
        return new IcapServer(
                TcpListener.bind(LISTENER, "tcp", new InetSocketAddress(s.bind(), s.port()), loops, init));
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
}
