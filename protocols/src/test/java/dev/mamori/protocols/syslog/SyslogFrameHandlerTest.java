package dev.mamori.protocols.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mamori.protocols.transport.ClientGate;
import dev.mamori.protocols.transport.EventLoops;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

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

    /**
     * A bug that fails every message logs one line a minute for the whole sensor, however many
     * connections meet it, and counts every message.
     */
    @Test
    void failingMessagesAreCountedEachAndLoggedOnceAMinuteAcrossConnections() {
        Logger logger = (Logger) LoggerFactory.getLogger(SyslogFrameHandler.class);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        AtomicInteger dropped = new AtomicInteger();
        SyslogFrameHandler.openLogLimit();
        SyslogEvents failing = new SyslogEvents() {
            @Override
            public void message(SyslogMessage m, String transport) {
                throw new IllegalStateException("a bug");
            }

            @Override
            public void dropped(String transport, String reason) {
                assertThat(reason).isEqualTo(SyslogEvents.INTERNAL_ERROR);
                dropped.incrementAndGet();
            }
        };
        try {
            for (int c = 0; c < 5; c++) {
                EmbeddedChannel tcp = new EmbeddedChannel(new SyslogFrameHandler(
                        "tcp",
                        new SyslogParser(ZoneOffset.UTC, Clock.systemUTC()),
                        failing,
                        1024,
                        ClientGate.anyone("syslog")));
                for (int i = 0; i < 20; i++) {
                    tcp.writeInbound(Unpooled.copiedBuffer("<13>Dec  4 01:02:03 h app: m" + i, StandardCharsets.UTF_8));
                }
                assertThat(tcp.isOpen()).isTrue();
                tcp.finishAndReleaseAll();
            }
        } finally {
            logger.detachAppender(seen);
        }
        assertThat(dropped).hasValue(100);
        assertThat(seen.list)
                .filteredOn(e -> e.getFormattedMessage().contains("could not be handled"))
                .hasSize(1);
    }

    @Test
    void anErrorOnAConnectionClosesThatConnection() {
        EmbeddedChannel tcp = new EmbeddedChannel(handler("tcp"));
        tcp.pipeline().fireExceptionCaught(new IOException("connection reset"));
        assertThat(tcp.isOpen()).isFalse();
    }
}
