package dev.mamori.protocols.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
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
}
