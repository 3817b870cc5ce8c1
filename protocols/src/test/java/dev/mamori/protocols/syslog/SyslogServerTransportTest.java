package dev.mamori.protocols.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.mamori.protocols.transport.EventLoops;
import dev.mamori.protocols.transport.Transport;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same syslog server on each transport the sensor may choose ({@code sensor.io}): TCP and UDP
 * (batched datagram reads included) behave alike. A transport this system lacks is skipped, except
 * under {@code MAMORI_REQUIRE_PEERS=1} for io_uring and epoll, which the CI machine has.
 */
class SyslogServerTransportTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void tcpAndUdpCarryMessagesOnEveryTransport(Transport transport) throws Exception {
        if (!transport.available() && !"1".equals(System.getenv("MAMORI_REQUIRE_PEERS"))) {
            assumeThat(transport.available())
                    .as(transport.label() + " is not available here: " + transport.unavailabilityCause())
                    .isTrue();
        }
        assertThat(transport.available())
                .as(transport.label() + " (required under MAMORI_REQUIRE_PEERS=1)")
                .isTrue();
        SyslogServerTest.Recorder recorder = new SyslogServerTest.Recorder();
        try (EventLoops loops = new EventLoops(1, transport);
                SyslogServer server = SyslogServer.start(
                        new SyslogServer.Settings(
                                "127.0.0.1", 0, 0, -1, 1024, 10, Duration.ofSeconds(30), 1 << 20, null),
                        loops,
                        new SyslogParser(ZoneOffset.UTC, Clock.systemUTC()),
                        recorder);
                DatagramSocket udp = new DatagramSocket();
                Socket tcp = new Socket("127.0.0.1", SyslogServerTest.port(server, "tcp"))) {
            assertThat(loops.transport()).isEqualTo(transport);
            OutputStream out = tcp.getOutputStream();
            out.write("<13>Nov 28 03:18:26 fw01 app: over tcp\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(recorder.next().message()).isEqualTo("over tcp");

            InetAddress lo = InetAddress.getByName("127.0.0.1");
            for (int i = 0; i < 100; i++) {
                byte[] d = ("<13>Nov 28 03:18:26 fw02 app: datagram " + i).getBytes(StandardCharsets.US_ASCII);
                udp.send(new DatagramPacket(d, d.length, lo, SyslogServerTest.port(server, "udp")));
            }
            byte[] over = ("<13>Nov 28 03:18:26 h a: " + "x".repeat(2000)).getBytes(StandardCharsets.US_ASCII);
            udp.send(new DatagramPacket(over, over.length, lo, SyslogServerTest.port(server, "udp")));
            for (int i = 0; i < 100; i++) {
                SyslogMessage m = recorder.next();
                assertThat(m.hostname()).isEqualTo("fw02");
                assertThat(m.message()).isEqualTo("datagram " + i);
            }
            byte[] last = "<13>Nov 28 03:18:26 fw02 app: after".getBytes(StandardCharsets.US_ASCII);
            udp.send(new DatagramPacket(last, last.length, lo, SyslogServerTest.port(server, "udp")));
            assertThat(recorder.next().message()).isEqualTo("after");
            assertThat(recorder.drops("udp/oversize")).isEqualTo(1);
        }
    }
}
