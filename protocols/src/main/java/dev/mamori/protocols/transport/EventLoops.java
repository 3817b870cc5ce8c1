package dev.mamori.protocols.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The sensor's Netty event loops: one acceptor thread and a worker group sized to the cores. Native
 * epoll is used where it loads (Linux), NIO otherwise. Every listener shares these, so a sensor with
 * four inputs still runs only {@code cores + 1} I/O threads.
 */
public final class EventLoops implements AutoCloseable {

    private final boolean epoll;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;

    public EventLoops(int workerThreads) {
        this.epoll = Epoll.isAvailable();
        this.acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("mamori-accept", true), handler());
        this.workers =
                new MultiThreadIoEventLoopGroup(workerThreads, new DefaultThreadFactory("mamori-io", true), handler());
    }

    private IoHandlerFactory handler() {
        return epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public boolean isNative() {
        return epoll;
    }

    public EventLoopGroup acceptor() {
        return acceptor;
    }

    public EventLoopGroup workers() {
        return workers;
    }

    public Class<? extends ServerChannel> serverChannelType() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The client side, for connections the sensor opens itself (the SMTP next hop). */
    public Class<? extends Channel> socketChannelType() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public Class<? extends DatagramChannel> datagramChannelType() {
        return epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    /** Shuts both groups down, waiting at most {@code timeout} for queued tasks. */
    public void shutdown(Duration timeout) {
        acceptor.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
        workers.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
        acceptor.terminationFuture().awaitUninterruptibly(timeout.toMillis());
        workers.terminationFuture().awaitUninterruptibly(timeout.toMillis());
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }
}
