package dev.mamori.protocols.syslog;

import static dev.mamori.protocols.transport.TestCertificates.selfSigned;
import static dev.mamori.protocols.transport.TestCertificates.trusting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.protocols.transport.BoundListener;
import dev.mamori.protocols.transport.EventLoops;
import dev.mamori.protocols.transport.TlsContexts;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyslogServerTest {

    private static final EventLoops LOOPS = new EventLoops(2);

    @AfterAll
    static void shutdown() {
        LOOPS.close();
    }

    /** Collects what the server reports. */
    static final class Recorder implements SyslogEvents {
        final BlockingQueue<SyslogMessage> messages = new LinkedBlockingQueue<>();
        final Map<String, AtomicInteger> drops = new ConcurrentHashMap<>();
        final AtomicInteger open = new AtomicInteger();
        /** Messages containing this fail as a broken detection would. */
        volatile String failOn = "\u0000never";

        @Override
        public void message(SyslogMessage message, String transport) {
            if (message.message().contains(failOn)) {
                throw new IllegalStateException("a detection bug");
            }
            messages.add(message);
        }

        @Override
        public void dropped(String transport, String reason) {
            drops.computeIfAbsent(transport + "/" + reason, k -> new AtomicInteger())
                    .incrementAndGet();
        }

        @Override
        public void connectionOpened(String transport) {
            open.incrementAndGet();
        }

        @Override
        public void connectionClosed(String transport) {
            open.decrementAndGet();
        }

        SyslogMessage next() throws InterruptedException {
            SyslogMessage m = messages.poll(5, TimeUnit.SECONDS);
            assertThat(m).as("a message within 5 s").isNotNull();
            return m;
        }

        int drops(String key) {
            AtomicInteger n = drops.get(key);
            return n == null ? 0 : n.get();
        }
    }

    private final Recorder recorder = new Recorder();

    private SyslogServer start(int tls, SslContext ctx, int maxConnections) throws Exception {
        return SyslogServer.start(
                new SyslogServer.Settings(
                        "127.0.0.1", 0, 0, tls, 1024, maxConnections, Duration.ofSeconds(30), 1 << 20, ctx),
                LOOPS,
                new SyslogParser(ZoneOffset.UTC, Clock.systemUTC()),
                recorder);
    }

    static int port(SyslogServer s, String transport) {
        return s.listeners().stream()
                .filter(l -> l.transport().equals(transport))
                .mapToInt(BoundListener::port)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void udpDatagramsAreMessagesAndOversizeOnesAreDroppedAndCounted() throws Exception {
        try (SyslogServer server = start(-1, null, 10);
                DatagramSocket socket = new DatagramSocket()) {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            int port = port(server, "udp");
            byte[] big = ("<13>Nov 28 03:18:26 h a: " + "x".repeat(2000)).getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(big, big.length, lo, port));
            byte[] ok = "<13>Nov 28 03:18:26 fw01 app: hello udp\n".getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(ok, ok.length, lo, port));
            SyslogMessage m = recorder.next();
            assertThat(m.hostname()).isEqualTo("fw01");
            assertThat(m.message()).isEqualTo("hello udp");
            assertThat(recorder.drops("udp/oversize")).isEqualTo(1);
            // Squid's udp:// access log batches lines into one datagram
            byte[] batch = ("1795836127.729 9 127.0.0.1 TCP_MISS/200 369 GET http://a/ - HIER_DIRECT/127.0.0.1 -\n"
                            + "1795836127.793 47 127.0.0.1 TCP_MISS/200 378 GET http://b/ - HIER_DIRECT/127.0.0.1 -\n")
                    .getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(batch, batch.length, lo, port));
            assertThat(recorder.next().message()).contains("http://a/");
            assertThat(recorder.next().message()).contains("http://b/");
        }
    }

    /**
     * A message whose handling throws costs that message, counted: not the UDP socket (closing it
     * would end the input for every device) nor a TCP sender's connection.
     */
    @Test
    void aMessageWhoseHandlingThrowsIsCountedAndTheInputGoesOn() throws Exception {
        recorder.failOn = "boom";
        try (SyslogServer server = start(-1, null, 10);
                DatagramSocket socket = new DatagramSocket();
                Socket tcp = new Socket("127.0.0.1", port(server, "tcp"))) {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            int port = port(server, "udp");
            for (String text :
                    new String[] {"<13>Nov 28 03:18:26 fw01 app: boom", "<13>Nov 28 03:18:26 fw01 app: after"}) {
                byte[] b = text.getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(b, b.length, lo, port));
            }
            assertThat(recorder.next().message()).isEqualTo("after");
            assertThat(recorder.drops("udp/internal_error")).isEqualTo(1);
            // "after" was handled on the socket's loop after "boom": had "boom" closed it, it is closed.
            byte[] later = "<13>Nov 28 03:18:26 fw01 app: later".getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(later, later.length, lo, port));
            assertThat(recorder.next().message()).isEqualTo("later");

            OutputStream out = tcp.getOutputStream();
            out.write("<13>Nov 28 03:18:27 fw02 app: boom\n<13>Nov 28 03:18:27 fw02 app: next\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(recorder.next().message()).isEqualTo("next");
            assertThat(recorder.drops("tcp/internal_error")).isEqualTo(1);
            out.write("<13>Nov 28 03:18:28 fw02 app: still open\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(recorder.next().message()).isEqualTo("still open");
        }
    }

    /** A headerless datagram names its device by the sender's address, whichever sent the one before. */
    @Test
    void eachDatagramTakesItsOwnSendersAddress() throws Exception {
        try (SyslogServer server = start(-1, null, 10);
                DatagramSocket one = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                DatagramSocket two = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            int port = port(server, "udp");
            for (DatagramSocket from : new DatagramSocket[] {one, two, two, one}) {
                byte[] b = "bare line".getBytes(StandardCharsets.US_ASCII);
                from.send(new DatagramPacket(b, b.length, lo, port));
                assertThat(recorder.next().hostname())
                        .isEqualTo(from.getLocalAddress().getHostAddress());
            }
        }
    }

    /** Datagrams are read many at a time into slots one byte longer than a message may be: the edge. */
    @Test
    void aDatagramOfExactlyTheLimitIsAMessageAndOneByteMoreIsDropped() throws Exception {
        try (SyslogServer server = start(-1, null, 10);
                DatagramSocket socket = new DatagramSocket()) {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            int port = port(server, "udp");
            String head = "<13>Nov 28 03:18:26 fw03 app: ";
            byte[] over = (head + "y".repeat(1025 - head.length())).getBytes(StandardCharsets.US_ASCII);
            byte[] exact = (head + "x".repeat(1024 - head.length())).getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(over, over.length, lo, port));
            socket.send(new DatagramPacket(exact, exact.length, lo, port));
            SyslogMessage m = recorder.next();
            assertThat(m.message()).hasSize(1024 - head.length()).matches("x+");
            assertThat(recorder.drops("udp/oversize")).isEqualTo(1);
        }
    }

    @Test
    void tcpCarriesBothFramingsAndHeaderlessLinesTakeTheSenderAsHost() throws Exception {
        try (SyslogServer server = start(-1, null, 10);
                Socket s = new Socket("127.0.0.1", port(server, "tcp"))) {
            String framed = "<13>1 2026-11-28T03:18:26Z fw02 app - - - octet counted";
            OutputStream out = s.getOutputStream();
            out.write((framed.length() + " " + framed + "bare headerless line\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(recorder.next().hostname()).isEqualTo("fw02");
            SyslogMessage bare = recorder.next();
            assertThat(bare.hostname()).isEqualTo("127.0.0.1");
            assertThat(bare.message()).isEqualTo("bare headerless line");
        }
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedAndCounted() throws Exception {
        try (SyslogServer server = start(-1, null, 1);
                Socket first = new Socket("127.0.0.1", port(server, "tcp"))) {
            first.getOutputStream().write("<13>first\n".getBytes(StandardCharsets.US_ASCII));
            recorder.next();
            try (Socket second = new Socket("127.0.0.1", port(server, "tcp"))) {
                second.setSoTimeout(5000);
                assertThat(second.getInputStream().read())
                        .as("closed by the server")
                        .isEqualTo(-1);
            }
            assertThat(recorder.drops("tcp/too_many_connections")).isEqualTo(1);
            first.getOutputStream().write("<13>still served\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(recorder.next().message()).isEqualTo("still served");
        }
    }

    @Test
    void tlsCarriesOctetCountedFrames(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSigned(dir, cert, key);
        try (SyslogServer server = start(0, TlsContexts.server(cert, key, null), 10)) {
            SSLContext client = trusting(cert);
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port(server, "tls"))) {
                s.startHandshake();
                String m = "<13>1 2026-11-28T03:18:26Z fw03 app - - - over tls";
                s.getOutputStream().write((m.length() + " " + m).getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
                SyslogMessage got = recorder.next();
                assertThat(got.hostname()).isEqualTo("fw03");
                assertThat(got.message()).isEqualTo("over tls");
            }
            // A client that does not speak TLS is counted and does not hurt the listener.
            try (Socket plain = new Socket("127.0.0.1", port(server, "tls"))) {
                plain.getOutputStream().write("<13>plain text on the TLS port\n".getBytes(StandardCharsets.US_ASCII));
                plain.setSoTimeout(5000);
                while (plain.getInputStream().read() >= 0) {
                    // drain until the server closes
                }
            }
            assertThat(recorder.drops("tls/tls_handshake")).isEqualTo(1);
        }
    }

    @Test
    void tlsWithClientCaRefusesClientsWithoutACertificate(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSigned(dir, cert, key);
        try (SyslogServer server = start(0, TlsContexts.server(cert, key, cert), 10)) {
            SSLContext client = trusting(cert);
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port(server, "tls"))) {
                s.setSoTimeout(5000);
                String m = "<13>1 2026-11-28T03:18:26Z fw03 app - - - no client certificate";
                try {
                    s.startHandshake();
                    s.getOutputStream().write((m.length() + " " + m).getBytes(StandardCharsets.UTF_8));
                    s.getOutputStream().flush();
                    s.getInputStream().read(); // TLS 1.3 reports the refusal on the first read
                } catch (IOException expected) {
                    // refused, as it should be
                }
            }
            for (int i = 0; i < 50 && recorder.drops("tls/tls_handshake") == 0; i++) {
                Thread.sleep(100);
            }
            assertThat(recorder.drops("tls/tls_handshake")).isEqualTo(1);
            assertThat(recorder.messages).isEmpty();
        }
    }

    @Test
    void unusableCertificateFilesAreNamedInTheError(@TempDir Path dir) throws Exception {
        Path bogus = dir.resolve("bogus.pem");
        Files.writeString(bogus, "not a certificate");
        Assertions.assertThatThrownBy(() -> TlsContexts.server(bogus, bogus, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bogus.pem");
    }
}
