package dev.mamori.protocols.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.protocols.transport.ClientGate;
import dev.mamori.protocols.transport.EventLoops;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SyslogFrameHandlerTest {

    private static SyslogFrameHandler handler(String transport) {
        return new SyslogFrameHandler(
                transport,
                new SyslogParser(ZoneOffset.UTC, Clock.systemUTC()),
                (m, t) -> {},
                1024,
                ClientGate.anyone("syslog"));
    }

    /** A failed receive on the UDP socket is logged; closing it would end the input for every device. */
    @Test
    void aReceiveErrorLeavesTheUdpSocketOpen() throws Exception {
        try (EventLoops loops = new EventLoops(1)) {
            Channel udp = new Bootstrap()
                    .group(loops.datagrams())
                    .channel(loops.datagramChannelType())
                    .handler(handler("udp"))
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .sync()
                    .channel();
            try {
                udp.pipeline().fireExceptionCaught(new IOException("receive failed"));
                udp.eventLoop().submit(() -> {}).sync(); // after the handler has run
                assertThat(udp.isOpen()).isTrue();
            } finally {
                udp.close().sync();
            }
        }
    }

    @Test
    void anErrorOnAConnectionClosesThatConnection() {
        EmbeddedChannel tcp = new EmbeddedChannel(handler("tcp"));
        tcp.pipeline().fireExceptionCaught(new IOException("connection reset"));
        assertThat(tcp.isOpen()).isFalse();
    }
}
