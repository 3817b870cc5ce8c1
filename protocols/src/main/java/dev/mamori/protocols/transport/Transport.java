package dev.mamori.protocols.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Locale;

/**
 * How the sensor's sockets talk to the kernel. {@link #IO_URING} submits a loop's sends and
 * receives together and collects their completions in one system call, where epoll makes one call
 * per read, per write and per wait: on a small virtual machine, where each system call and wake-up
 * is dear, ICAP with 16 connections took 15 us of CPU a request instead of 22, the SMTP relay 210 us
 * a message instead of 245 (docs/benchmarks.md). {@link #EPOLL} is Linux without io_uring (older
 * kernels, {@code kernel.io_uring_disabled}, or a seccomp profile that refuses it, as Docker's
 * default does), {@link #NIO} any other system.
 */
public enum Transport {
    IO_URING,
    EPOLL,
    NIO;

    /** The fastest this system offers: io_uring, else epoll, else NIO. */
    public static Transport best() {
        if (IO_URING.available()) {
            return IO_URING;
        }
        return EPOLL.available() ? EPOLL : NIO;
    }

    /** The configuration's name: {@code io_uring}, {@code epoll}, {@code nio}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code label()} back to the transport, or null. */
    public static Transport of(String label) {
        for (Transport t : values()) {
            if (t.label().equals(label)) {
                return t;
            }
        }
        return null;
    }

    public boolean available() {
        return switch (this) {
            case IO_URING -> IoUring.isAvailable();
            case EPOLL -> Epoll.isAvailable();
            case NIO -> true;
        };
    }

    /** Why it cannot be used here (null when it can). */
    public Throwable unavailabilityCause() {
        return switch (this) {
            case IO_URING -> IoUring.unavailabilityCause();
            case EPOLL -> Epoll.unavailabilityCause();
            case NIO -> null;
        };
    }

    IoHandlerFactory ioHandler() {
        return switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    Class<? extends ServerChannel> serverChannelType() {
        return switch (this) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    Class<? extends Channel> socketChannelType() {
        return switch (this) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    Class<? extends DatagramChannel> datagramChannelType() {
        return switch (this) {
            case IO_URING -> IoUringDatagramChannel.class;
            case EPOLL -> EpollDatagramChannel.class;
            case NIO -> NioDatagramChannel.class;
        };
    }

    /**
     * The option that lets one read take many datagrams, each in a slot of this size (recvmmsg, or
     * io_uring's batched recvmsg); null where reads take one datagram each.
     */
    ChannelOption<Integer> datagramSlotOption() {
        return switch (this) {
            case IO_URING -> IoUringChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE;
            case EPOLL -> EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE;
            case NIO -> null;
        };
    }
}
