package dev.mamori.protocols.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class TcpListenerTest {

    private static final EventLoops LOOPS = new EventLoops(1);

    @AfterAll
    static void shutdown() {
        LOOPS.close();
    }

    /** Echoes bytes back: enough to prove the pipeline is installed on accepted connections. */
    @ChannelHandler.Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush((ByteBuf) msg);
        }
    }

    @Test
    void bindsPortZeroReportsTheRealPortAndServesConnections() throws Exception {
        try (TcpListener l =
                TcpListener.bind("echo", "tcp", new InetSocketAddress("127.0.0.1", 0), LOOPS, new Echo())) {
            BoundListener b = l.bound();
            assertThat(b.port()).isPositive();
            assertThat(b.host()).isEqualTo("127.0.0.1");
            try (Socket s = new Socket("127.0.0.1", b.port())) {
                OutputStream out = s.getOutputStream();
                out.write("ping".getBytes());
                out.flush();
                InputStream in = s.getInputStream();
                assertThat(new String(in.readNBytes(4))).isEqualTo("ping");
                assertThat(l.openConnections()).isEqualTo(1);
                l.stopAccepting();
                l.closeConnections(Duration.ofSeconds(2));
                assertThat(in.read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void takenPortFailsWithListenerNameAndAddress() throws Exception {
        try (TcpListener first =
                TcpListener.bind("one", "tcp", new InetSocketAddress("127.0.0.1", 0), LOOPS, new Echo())) {
            int port = first.bound().port();
            assertThatThrownBy(() -> TcpListener.bind(
                            "syslog", "tcp", new InetSocketAddress("127.0.0.1", port), LOOPS, new Echo()))
                    .isInstanceOf(ListenerException.class)
                    .hasMessageStartingWith("syslog (tcp): cannot listen on 127.0.0.1:" + port + ": ")
                    .hasMessageContaining("in use");
        }
    }

    /** Connections to a listener with loops of its own are served there, the others by the shared loops. */
    @Test
    void aListenerWithLoopsOfItsOwnIsServedByThem() throws Exception {
        try (EventLoops loops = new EventLoops(new LoopSizes(1, Map.of("icap", 2)), Transport.best())) {
            for (String name : List.of("icap", "smtp")) {
                CompletableFuture<io.netty.channel.EventLoop> servedBy = new CompletableFuture<>();
                ChannelHandler recorder = new Sharable() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        servedBy.complete(ctx.channel().eventLoop());
                    }
                };
                try (TcpListener l =
                                TcpListener.bind(name, "tcp", new InetSocketAddress("127.0.0.1", 0), loops, recorder);
                        Socket s = new Socket("127.0.0.1", l.bound().port())) {
                    assertThat(s.isConnected()).isTrue();
                    EventLoop loop = servedBy.get(10, TimeUnit.SECONDS);
                    List<Object> group = new ArrayList<>();
                    loops.workers(name).forEach(group::add);
                    assertThat(group).as(name).contains(loop).hasSize(loops.workerThreads(name));
                    List<Object> other = new ArrayList<>();
                    loops.workers(name.equals("icap") ? "smtp" : "icap").forEach(other::add);
                    assertThat(other).as(name).doesNotContain(loop);
                }
            }
        }
    }

    @ChannelHandler.Sharable
    private static class Sharable extends ChannelInboundHandlerAdapter {}
}
