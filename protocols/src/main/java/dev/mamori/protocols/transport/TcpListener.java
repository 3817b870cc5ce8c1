package dev.mamori.protocols.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * A bound TCP listener. It keeps every accepted connection in a group so that {@link #stopAccepting()}
 * and {@link #closeConnections(Duration)} can be done in that order on shutdown: first no new
 * clients, then the existing ones.
 */
public final class TcpListener implements AutoCloseable {

    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final BoundListener bound;

    private TcpListener(Channel serverChannel, ChannelGroup connections, BoundListener bound) {
        this.serverChannel = serverChannel;
        this.connections = connections;
        this.bound = bound;
    }

    /**
     * Binds {@code address} and installs {@code pipeline} on every accepted connection.
     *
     * @throws ListenerException naming the listener and address when the bind fails (port taken,
     *     address not local, permission denied)
     */
    public static TcpListener bind(
            String name, String transport, InetSocketAddress address, EventLoops loops, ChannelHandler pipeline)
            throws ListenerException {
        Objects.requireNonNull(pipeline, "pipeline");
        ChannelGroup connections = new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE);
        ServerBootstrap b = new ServerBootstrap()
                .group(loops.acceptor(), loops.workers(name))
                .channel(loops.serverChannelType())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(pipeline);
                    }
                });
        ChannelFuture f = b.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new ListenerException(name, transport, address, f.cause());
        }
        InetSocketAddress actual = (InetSocketAddress) f.channel().localAddress();
        return new TcpListener(f.channel(), connections, new BoundListener(name, transport, actual));
    }

    public BoundListener bound() {
        return bound;
    }

    public int openConnections() {
        return connections.size();
    }

    /** Closes the listening socket; open connections go on. */
    public void stopAccepting() {
        serverChannel.close().awaitUninterruptibly();
    }

    /** Closes every open connection, waiting at most {@code timeout}. */
    public void closeConnections(Duration timeout) {
        connections.close().awaitUninterruptibly(timeout.toMillis());
    }

    @Override
    public void close() {
        stopAccepting();
        closeConnections(Duration.ofSeconds(5));
    }
}
