package dev.mamori.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.sensor.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The abuse cases of docs/robustness.md against the running sensor over real sockets: slow and
 * idle clients (slowloris), connection floods, oversize heads, malformed chunked bodies. Each
 * case checks what the attacker holds (connections), what every client hears, and that a
 * well-behaved client is served afterwards.
 */
class AbuseCasesIntegrationTest {

    private static final int MAX_CONNECTIONS = 10;
    private static final int ATTACKERS = 30;
    private static final String OPTIONS = "OPTIONS icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: x\r\n\r\n";

    @TempDir
    Path dir;

    private Sensor sensor;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Path config = dir.resolve("mamori.yaml");
        Files.writeString(config, """
                inputs:
                  http: {port: 0}
                  smtp: {port: 0, next_hop: "127.0.0.1:9", max_connections: %d, idle_timeout: 1s}
                  icap: {port: 0, max_connections: %d, idle_timeout: 3s, max_header_size: 4KiB}
                sensor: {shutdown_timeout: 2s}
                """.formatted(MAX_CONNECTIONS, MAX_CONNECTIONS));
        sensor = Sensor.start(ConfigLoader.load(config));
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (sensor != null) {
            sensor.stop();
        }
    }

    private int port(String name) {
        return sensor.listeners().find(name, "tcp").port();
    }

    private Socket connect(int port) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Everything the server says until it closes (or a reset), or "OPEN:" plus what came if it stays open. */
    private static String readUntilClosed(Socket s, int timeoutMillis) throws IOException {
        s.setSoTimeout(timeoutMillis);
        StringBuilder got = new StringBuilder();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                got.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
        } catch (SocketTimeoutException stillOpen) {
            return "OPEN:" + got;
        } catch (SocketException reset) {
            // closed with bytes of ours unread
        }
        return got.toString();
    }

    private static String firstReply(Socket s) throws IOException {
        byte[] buf = new byte[4096];
        int n = s.getInputStream().read(buf);
        return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII);
    }

    @Test
    void icapSlowlorisHoldsAtMostMaxConnectionsEachForAtMostTheIdleTimeout() throws Exception {
        int port = port("icap");
        List<Socket> attackers = new ArrayList<>();
        for (int i = 0; i < ATTACKERS; i++) {
            Socket s = connect(port);
            send(s, "OPTIONS icap://127.0.0.1/reqmod ICAP/1.0\r\nHo"); // and never the rest
            attackers.add(s);
        }
        // past max_connections: closed at once; the admitted ones are held until idle_timeout (3 s)
        Thread.sleep(200);
        long held = 0;
        for (Socket s : attackers) {
            String r = readUntilClosed(s, 50);
            if (r.startsWith("OPEN:")) {
                held++;
            } else {
                assertThat(r).as("a refused connection hears nothing").isEmpty();
            }
        }
        assertThat(held).isEqualTo(MAX_CONNECTIONS);
        assertThat(sensor.metrics().scrape())
                .contains("mamori_events_dropped_total{input=\"icap\",reason=\"status_503\"} "
                        + (ATTACKERS - MAX_CONNECTIONS) + ".0");
        for (Socket s : attackers) {
            assertThat(readUntilClosed(s, 5000)).as("closed by idle_timeout").isEmpty();
        }
        Socket good = connect(port);
        send(good, OPTIONS);
        assertThat(firstReply(good)).startsWith("ICAP/1.0 200 OK\r\n");
    }

    @Test
    void smtpFloodHears421AndIdleSessionsAreClosedWith421() throws Exception {
        int port = port("smtp");
        List<String> greetings = new ArrayList<>();
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < ATTACKERS; i++) {
            Socket s = connect(port);
            String greeting = firstReply(s);
            greetings.add(greeting.substring(0, 4));
            if (greeting.startsWith("220 ")) {
                send(s, "EHLO slow.example\r\nMAIL FROM:<a@slow.exa"); // a command never finished
                held.add(s);
            }
        }
        assertThat(greetings.stream().filter("220 "::equals).count()).isEqualTo(MAX_CONNECTIONS);
        assertThat(greetings.stream().filter("421 "::equals).count()).isEqualTo(ATTACKERS - MAX_CONNECTIONS);
        for (Socket s : held) {
            String said = readUntilClosed(s, 5000);
            assertThat(said).contains("421 4.4.2 ").contains("timeout exceeded");
        }
        Socket good = connect(port);
        assertThat(firstReply(good)).startsWith("220 ");
        assertThat(sensor.metrics().scrape())
                .contains("mamori_events_dropped_total{input=\"smtp\",reason=\"too_many_connections\"} "
                        + (ATTACKERS - MAX_CONNECTIONS) + ".0");
    }

    @Test
    void oversizeIcapHeadIsAnswered413AndMalformedChunkedBodiesNeverComplete() throws Exception {
        int port = port("icap");
        Socket big = connect(port);
        send(big, "OPTIONS icap://127.0.0.1/reqmod ICAP/1.0\r\nX-Pad: " + "a".repeat(8192) + "\r\n\r\n");
        assertThat(readUntilClosed(big, 5000)).startsWith("ICAP/1.0 413 ");

        String head = "GET http://a.example/ HTTP/1.1\r\nHost: a.example\r\n\r\n";
        for (String badBody : List.of("zz\r\nhello\r\n0\r\n\r\n", "5\r\nhelloXX0\r\n\r\n", "-1\r\n\r\n")) {
            Socket s = connect(port);
            send(
                    s,
                    "REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: x\r\nEncapsulated: req-hdr=0, req-body="
                            + head.length() + "\r\n\r\n" + head + badBody);
            String r = readUntilClosed(s, 5000);
            // a 400 if no answer had begun; else the answer already under way is cut off: never a
            // complete 200, never an error written into the middle of it
            if (!r.startsWith("ICAP/1.0 400 ")) {
                assertThat(r).as(badBody).startsWith("ICAP/1.0 200 ").doesNotContain("ICAP/1.0 400");
                assertThat(r).as(badBody).doesNotEndWith("0\r\n\r\n");
            }
        }
        Socket good = connect(port);
        send(good, OPTIONS);
        assertThat(firstReply(good)).startsWith("ICAP/1.0 200 OK\r\n");
    }
}
