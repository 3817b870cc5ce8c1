package dev.mamori.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.mamori.sensor.config.ConfigLoader;
import dev.mamori.sensor.e2e.Peers;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * allowed_clients on every input, and the HTTP endpoint's authentication, in-process over real
 * sockets. Clients bind to 127.0.0.2 to come from an address outside a 127.0.0.1/32 list.
 */
class AccessControlIntegrationTest {

    private static final InetAddress OTHER = address("127.0.0.2");
    private static final InetAddress LOCAL = address("127.0.0.1");

    @TempDir
    Path dir;

    private Sensor sensor;

    @AfterEach
    void stop() {
        if (sensor != null) {
            sensor.stop();
        }
    }

    private static InetAddress address(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private void start(String inputs) throws Exception {
        Files.writeString(dir.resolve("ioc.txt"), "192.0.2.66\n");
        Files.writeString(dir.resolve("ua.txt"), "^curl/\n");
        Path config = dir.resolve("mamori.yaml");
        Files.writeString(config, inputs + """
                intel: {indicator_files: [ioc.txt], allowed_user_agents_file: ua.txt}
                sensor: {shutdown_timeout: 2s}
                """);
        sensor = Sensor.start(ConfigLoader.load(config));
    }

    private int port(String name, String transport) {
        return sensor.listeners().find(name, transport).port();
    }

    private static String talk(InetAddress from, int port, String send) throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress(LOCAL, port), 5000);
            s.setSoTimeout(5000);
            if (send != null) {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(send.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (SocketException closed) {
                    return "";
                }
            }
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            int n;
            try {
                n = in.read(buf);
            } catch (SocketException reset) {
                // closed with our bytes unread: the kernel answers them with a reset
                return "";
            }
            return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII);
        }
    }

    private double refused(String input) {
        String scrape = sensor.metrics().scrape();
        String prefix = "mamori_connections_refused_total{input=\"" + input + "\"} ";
        return scrape.lines()
                .filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
                .findFirst()
                .orElseThrow(() -> new AssertionError(scrape));
    }

    @Test
    void refusedClientsHearTheirProtocolsRefusalAndAreCounted() throws Exception {
        start("""
                inputs:
                  http: {port: 0}
                  smtp: {port: 0, next_hop: "127.0.0.1:9", allowed_clients: [127.0.0.1/32]}
                  icap: {port: 0, allowed_clients: [127.0.0.1/32, "::1"]}
                  syslog: {udp_port: 0, tcp_port: 0, allowed_clients: [127.0.0.1/32]}
                """);
        int smtp = port("smtp", "tcp");
        assertThat(talk(OTHER, smtp, null)).startsWith("554 5.7.1 ");
        assertThat(talk(LOCAL, smtp, null)).startsWith("220 ");
        assertThat(refused("smtp")).isEqualTo(1.0);

        int icap = port("icap", "tcp");
        assertThat(talk(OTHER, icap, "OPTIONS icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: x\r\n\r\n"))
                .startsWith("ICAP/1.0 403 Forbidden\r\n");
        assertThat(talk(LOCAL, icap, "OPTIONS icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: x\r\n\r\n"))
                .startsWith("ICAP/1.0 200 OK\r\n");
        assertThat(refused("icap")).isEqualTo(1.0);

        // TCP syslog: disconnected without a word; the line is never read
        String line = "<13>Nov 28 03:00:01 gw kernel: DROP IN=eth1 OUT=eth0 SRC=10.1.2.3 DST=198.51.100.7 LEN=60"
                + " PROTO=TCP SPT=40000 DPT=443\n";
        assertThat(talk(OTHER, port("syslog", "tcp"), line)).isEmpty();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(OTHER, 0))) {
            byte[] b = line.getBytes(StandardCharsets.US_ASCII);
            udp.send(new DatagramPacket(b, b.length, new InetSocketAddress(LOCAL, port("syslog", "udp"))));
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (refused("syslog") < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(refused("syslog")).isEqualTo(2.0);
        assertThat(sensor.alerts().recent().query(null, null, null, 100))
                .as("nothing from refused senders")
                .isEmpty();
        assertThat(refused("http")).isZero();
    }

    @Test
    void httpWithTlsAndBcryptUsersNeedsThemExceptOnPublicPaths() throws Exception {
        Path cert = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        Peers.run(
                Peers.require("openssl", "openssl").toString(),
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
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString());
        String hash = BCrypt.withDefaults().hashToString(10, "s3cret pass".toCharArray());
        Files.writeString(dir.resolve("web.yml"), """
                tls_server_config: {cert_file: server.crt, key_file: server.key}
                basic_auth_users:
                  prometheus: "%s"
                """.formatted(hash));
        start("inputs: {http: {port: 0, web_config_file: web.yml, public: [/health]}}\n");
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(cert)).build();
        String base = "https://localhost:" + sensor.httpPort();
        assertThat(client.send(
                                HttpRequest.newBuilder(URI.create(base + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(401);
        HttpResponse<String> noAuth = client.send(
                HttpRequest.newBuilder(URI.create(base + "/api/alerts")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noAuth.statusCode()).isEqualTo(401);
        assertThat(noAuth.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm=\"mamori\""));
        assertThat(client.send(
                                HttpRequest.newBuilder(URI.create(base + "/metrics"))
                                        .header("Authorization", basic("prometheus", "wrong"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(401);
        assertThat(client.send(
                                HttpRequest.newBuilder(URI.create(base + "/metrics"))
                                        .header("Authorization", basic("nobody", "s3cret pass"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(401);
        for (int i = 0; i < 3; i++) { // the first is checked with bcrypt, the others remembered
            HttpResponse<String> ok = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/metrics"))
                            .header("Authorization", basic("prometheus", "s3cret pass"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("mamori_connections_refused_total");
        }
        assertThat(client.send(
                                HttpRequest.newBuilder(URI.create(base + "/health"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .as("public")
                .isEqualTo(200);
        // plain HTTP on the TLS port gets no answer
        assertThat(talk(LOCAL, sensor.httpPort(), "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"))
                .doesNotStartWith("HTTP/1.1 200");
    }

    @Test
    void theApiStaysClosedBeyondLoopbackWithoutUsersUnlessOpenedOnPurpose() throws Exception {
        start("inputs: {http: {port: 0, bind: 0.0.0.0}}\n");
        HttpClient client = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + sensor.httpPort();
        assertThat(client.send(
                                HttpRequest.newBuilder(URI.create(base + "/api/alerts"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(403);
        assertThat(client.send(
                                HttpRequest.newBuilder(URI.create(base + "/api/reload"))
                                        .POST(HttpRequest.BodyPublishers.noBody())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(403);
        assertThat(client.send(
                                HttpRequest.newBuilder(URI.create(base + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        sensor.stop();
        start("inputs: {http: {port: 0, bind: 0.0.0.0, unauthenticated_api: true}}\n");
        assertThat(client.send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + sensor.httpPort() + "/api/alerts"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void anHttpClientOutsideTheListIsToldSoAndDisconnected() throws Exception {
        start("inputs: {http: {port: 0, allowed_clients: [127.0.0.1/32]}}\n");
        assertThat(talk(OTHER, sensor.httpPort(), "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"))
                .startsWith("HTTP/1.1 403 Forbidden\r\n");
        assertThat(talk(LOCAL, sensor.httpPort(), "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"))
                .startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(refused("http")).isEqualTo(1.0);
    }

    /** A client context that trusts exactly {@code cert}. */
    static SSLContext trusting(Path cert) throws Exception {
        Certificate c;
        try (InputStream in = Files.newInputStream(cert)) {
            c = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("server", c);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
