package dev.mamori.sensor.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.protocols.transport.TlsContexts;
import dev.mamori.sensor.TestAlerts;
import dev.mamori.sensor.e2e.Peers;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Syslog (UDP, TCP, TLS; JSON and CEF) and webhook outputs against receivers in the test. */
class ForwardingOutputsTest {

    private static final Alert ALERT = TestAlerts.connectBack("10.1.2.3", Instant.parse("2026-11-28T01:02:03Z"));

    private static SyslogOutput output(int port, String protocol, String format, SSLSocketFactory tls) {
        return new SyslogOutput(
                new SyslogOutput.Settings("127.0.0.1", port, protocol, format, tls, "sensor01", "1.2.3"));
    }

    /** Reads one octet-counted frame. */
    private static String frame(InputStream in) throws IOException {
        StringBuilder len = new StringBuilder();
        for (int c = in.read(); c != ' '; c = in.read()) {
            assertThat(c).isNotNegative();
            len.append((char) c);
        }
        byte[] msg = new byte[Integer.parseInt(len.toString())];
        new DataInputStream(in).readFully(msg);
        return new String(msg, StandardCharsets.UTF_8);
    }

    @Test
    void tcpOctetCountedRfc5424WithJsonBody() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SyslogOutput out = output(server.getLocalPort(), "tcp", "json", null);
            out.write(ALERT);
            out.write(TestAlerts.logCleared("dc01", Severity.CRITICAL, ALERT.timestamp()));
            out.flush();
            try (Socket s = server.accept()) {
                String first = frame(s.getInputStream());
                assertThat(first).startsWith("<131>1 2026-11-28T01:02:03.000Z sensor01 mamori - fw.connect_back - {");
                String json = first.substring(first.indexOf('{'));
                assertThat(new ObjectMapper().readTree(json).get("source.ip").asText())
                        .isEqualTo("10.1.2.3");
                assertThat(frame(s.getInputStream())).startsWith("<130>1 ").contains(" ad.log_cleared - {");
            }
            out.close();
        }
    }

    @Test
    void tcpReconnectsWhenTheReceiverRestarts() throws Exception {
        ServerSocket first = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        int port = first.getLocalPort();
        SyslogOutput out = output(port, "tcp", "json", null);
        out.write(ALERT);
        out.flush();
        first.accept().close();
        first.close();
        try (ServerSocket second = new ServerSocket()) {
            second.setReuseAddress(true);
            second.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            // the old connection is dead: a write fails once, reconnects, and a later alert lands
            for (int i = 0; i < 3; i++) {
                try {
                    out.write(ALERT);
                    out.flush();
                } catch (IOException expected) {
                    // first detection of the broken connection
                }
            }
            try (Socket s = second.accept()) {
                assertThat(frame(s.getInputStream())).contains("fw.connect_back");
            }
        }
        out.close();
    }

    @Test
    void udpDatagramWithCefBody() throws Exception {
        try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            receiver.setSoTimeout(5000);
            SyslogOutput out = output(receiver.getLocalPort(), "udp", "cef", null);
            out.write(ALERT);
            byte[] buf = new byte[65536];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            receiver.receive(p);
            String msg = new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
            assertThat(msg)
                    .startsWith("<131>1 ")
                    .contains(" fw.connect_back - CEF:0|Mamori|sensor|1.2.3|fw.connect_back|"
                            + "Connect-back attempt blocked at the firewall|8|rt="
                            + ALERT.timestamp().toEpochMilli())
                    .contains(" src=10.1.2.3")
                    .contains(" dpt=443")
                    .contains(" cs1Label=recommendation cs1=");
            out.close();
        }
    }

    @Test
    void cefEscapesHeaderAndExtensionSpecials() {
        assertThat(CefFormat.header("a|b\\c")).isEqualTo("a\\|b\\\\c");
        assertThat(CefFormat.value("x=y\\z\nnext")).isEqualTo("x\\=y\\\\z\\nnext");
        assertThat(CefFormat.severity(Severity.CRITICAL)).isEqualTo(10);
        assertThat(CefFormat.format(ALERT.with(AlertField.INCIDENT_ID, "INC-20261203-00c0ffee"), "1"))
                .contains(" cs4Label=incident.id cs4=INC-20261203-00c0ffee");
        assertThat(CefFormat.format(ALERT, "1")).doesNotContain("cs4");
    }

    @Test
    void tlsToAReceiverTrustedThroughItsCa(@TempDir Path dir) throws Exception {
        String openssl = Peers.require("openssl", "openssl").toString();
        Path p12 = dir.resolve("server.p12");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        run(
                dir,
                openssl,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString());
        run(
                dir,
                openssl,
                "pkcs12",
                "-export",
                "-in",
                cert.toString(),
                "-inkey",
                key.toString(),
                "-out",
                p12.toString(),
                "-passout",
                "pass:test");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, "test".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "test".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        try (SSLServerSocket server = (SSLServerSocket)
                ctx.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SyslogOutput out = output(server.getLocalPort(), "tls", "json", TlsContexts.clientSocketFactory(cert));
            Thread writer = new Thread(() -> {
                try {
                    out.write(ALERT);
                    out.flush();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            try (Socket s = server.accept()) {
                assertThat(frame(s.getInputStream())).contains("\"rule.id\":\"fw.connect_back\"");
            }
            writer.join(10_000);
            out.close();
        }
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished in 60 s").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void webhookPostsJsonAndRetriesServerErrorsButNotClientErrors() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> bodies = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/hook", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            int n = calls.incrementAndGet();
            ex.sendResponseHeaders(n == 1 ? 503 : 204, -1);
            ex.close();
        });
        server.createContext("/bad", ex -> {
            calls.incrementAndGet();
            ex.sendResponseHeaders(400, -1);
            ex.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            WebhookOutput ok = new WebhookOutput(new WebhookOutput.Settings(
                    URI.create(base + "/hook"), Duration.ofSeconds(5), 3, Duration.ofMillis(10)));
            ok.write(ALERT);
            assertThat(calls.get()).isEqualTo(2);
            assertThat(new ObjectMapper().readTree(bodies.get(1)).get("rule.id").asText())
                    .isEqualTo("fw.connect_back");
            calls.set(0);
            WebhookOutput bad = new WebhookOutput(new WebhookOutput.Settings(
                    URI.create(base + "/bad"), Duration.ofSeconds(5), 3, Duration.ofMillis(10)));
            assertThatThrownBy(() -> bad.write(ALERT)).hasMessageContaining("400");
            assertThat(calls.get()).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aWebhookThatKeepsFailingIsTriedOncePlusItsRetries() throws Exception {
        // 503 and 429 every time: 1 attempt + 2 retries, then the write fails
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/busy", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(calls.incrementAndGet() % 2 == 0 ? 429 : 503, -1);
            ex.close();
        });
        server.start();
        try {
            WebhookOutput busy = new WebhookOutput(new WebhookOutput.Settings(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/busy"),
                    Duration.ofSeconds(5),
                    2,
                    Duration.ofMillis(5)));
            assertThatThrownBy(() -> busy.write(ALERT)).isInstanceOf(IOException.class);
            assertThat(calls.get()).isEqualTo(3);
        } finally {
            server.stop(0);
        }
        // a connection that breaks every time: also retried, and counted the same way
        try (ServerSocket breaking = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            AtomicInteger accepted = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                while (!breaking.isClosed()) {
                    try {
                        breaking.accept().close();
                        accepted.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            WebhookOutput out = new WebhookOutput(new WebhookOutput.Settings(
                    URI.create("http://127.0.0.1:" + breaking.getLocalPort() + "/none"),
                    Duration.ofSeconds(2),
                    2,
                    Duration.ofMillis(5)));
            assertThatThrownBy(() -> out.write(ALERT)).isInstanceOf(IOException.class);
            assertThat(accepted.get()).isEqualTo(3);
        }
    }
}
