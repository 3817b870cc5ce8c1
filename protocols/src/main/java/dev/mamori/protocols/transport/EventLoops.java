package dev.mamori.protocols.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The sensor's Netty event loops: one acceptor thread, a worker group the listeners share and a
 * group of its own for each listener {@link LoopSizes} names (by default ICAP), on the
 * {@link Transport} chosen (by default the fastest the system offers), and with io_uring one epoll
 * loop for UDP. A connection the sensor opens itself (the SMTP next hop) runs on the loop of the
 * connection it serves.
 */
public final class EventLoops implements AutoCloseable {

    private final Transport transport;
    private final EventLoopGroup acceptor;
    private final MultiThreadIoEventLoopGroup workers;
    /** By listener name: the groups of their own. */
    private final Map<String, MultiThreadIoEventLoopGroup> own = new TreeMap<>();

    private final LoopSizes sizes;
    /** Where UDP is read: the workers, or one epoll loop of its own beside io_uring ones. */
    private final Transport datagramTransport;

    private final EventLoopGroup datagrams;

    public EventLoops(int workerThreads) {
        this(LoopSizes.shared(workerThreads), Transport.best());
    }

    public EventLoops(int workerThreads, Transport transport) {
        this(LoopSizes.shared(workerThreads), transport);
    }

    /** @throws IllegalArgumentException when {@code transport} is not available on this system */
    public EventLoops(LoopSizes sizes, Transport transport) {
        if (!transport.available()) {
            throw new IllegalArgumentException(
                    transport.label() + " is not available here: " + transport.unavailabilityCause(),
                    transport.unavailabilityCause());
        }
        this.transport = transport;
        this.acceptor = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("mamori-accept", true), transport.ioHandler());
        this.sizes = sizes;
        this.workers = new MultiThreadIoEventLoopGroup(
                sizes.shared(), new DefaultThreadFactory("mamori-io", true), transport.ioHandler());
        sizes.own()
                .forEach((listener, n) -> own.put(
                        listener,
                        new MultiThreadIoEventLoopGroup(
                                n, new DefaultThreadFactory("mamori-io-" + listener, true), transport.ioHandler())));
        // io_uring's batched datagram reads dropped 1-6 % of a 64k-130k msg/s syslog stream in the
        // first seconds after start-up, where epoll's recvmmsg dropped none (bench/compare-udp,
        // 2026-12-04): UDP keeps epoll wherever there is epoll.
        if (transport == Transport.IO_URING && Transport.EPOLL.available()) {
            this.datagramTransport = Transport.EPOLL;
            this.datagrams = new MultiThreadIoEventLoopGroup(
                    1, new DefaultThreadFactory("mamori-udp", true), Transport.EPOLL.ioHandler());
        } else {
            this.datagramTransport = transport;
            this.datagrams = workers;
        }
    }

    public Transport transport() {
        return transport;
    }

    public EventLoopGroup acceptor() {
        return acceptor;
    }

    /** The loops {@code listener}'s connections are served by: its own group, else the shared one. */
    public EventLoopGroup workers(String listener) {
        EventLoopGroup g = own.get(listener);
        return g != null ? g : workers;
    }

    /** How many loops serve {@code listener}, as running. */
    public int workerThreads(String listener) {
        MultiThreadIoEventLoopGroup g = own.get(listener);
        return (g != null ? g : workers).executorCount();
    }

    /** The sizes, as the start-up line says them ("2 event loops, 4 for icap"). */
    public String describe() {
        return sizes.describe();
    }

    public Class<? extends ServerChannel> serverChannelType() {
        return transport.serverChannelType();
    }

    /** The client side, for connections the sensor opens itself (the SMTP next hop). */
    public Class<? extends Channel> socketChannelType() {
        return transport.socketChannelType();
    }

    /** The group UDP channels are registered with (of {@link #datagramChannelType}). */
    public EventLoopGroup datagrams() {
        return datagrams;
    }

    public Class<? extends DatagramChannel> datagramChannelType() {
        return datagramTransport.datagramChannelType();
    }

    /** Many datagrams per read, each in a slot of this size; null when the transport reads one at a time. */
    public ChannelOption<Integer> datagramSlotOption() {
        return datagramTransport.datagramSlotOption();
    }

    /** Shuts every group down, waiting at most {@code timeout} for queued tasks. */
    public void shutdown(Duration timeout) {
        List<EventLoopGroup> groups = new ArrayList<>(List.of(acceptor, workers));
        groups.addAll(own.values());
        if (datagrams != workers) {
            groups.add(datagrams);
        }
        groups.forEach(g -> g.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS));
        groups.forEach(g -> g.terminationFuture().awaitUninterruptibly(timeout.toMillis()));
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }
}
