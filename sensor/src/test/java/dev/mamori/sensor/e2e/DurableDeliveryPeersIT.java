package dev.mamori.sensor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Alerts reach a real rsyslog acting as the SIEM, over TCP and over TLS, although it is stopped for a while and the sensor
 * is killed with SIGKILL in between: the spool keeps what waits, across the kill, and sends it in
 * order once rsyslog is back. Duplicates may appear only around the failures.
 */
class DurableDeliveryPeersIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Process siem;
    private SensorProcess sensor;

    @AfterEach
    void stop() throws Exception {
        if (sensor != null) {
            sensor.close();
        }
        stopSiem();
    }

    private void startSiem(int port, boolean tls) throws Exception {
        Path rsyslogd = Peers.require("rsyslogd", "rsyslog");
        Path work = Files.createDirectories(dir.resolve("siem-work"));
        Path conf = dir.resolve("siem.conf");
        String cert = dir.resolve("siem.crt").toString();
        String key = dir.resolve("siem.key").toString();
        String head = tls ? """
                global(workDirectory="%1$s" DefaultNetstreamDriver="gtls" DefaultNetstreamDriverCAFile="%4$s"
                       DefaultNetstreamDriverCertFile="%4$s" DefaultNetstreamDriverKeyFile="%5$s")
                module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.AuthMode="anon")
                """ : """
                global(workDirectory="%1$s")
                module(load="imtcp")
                """;
        String body = """
                input(type="imtcp" port="%2$d" address="127.0.0.1")
                template(name="msgonly" type="string" string="%%msg%%\\n")
                *.* action(type="omfile" file="%3$s" template="msgonly")
                """;
        Files.writeString(conf, (head + body).formatted(work, port, dir.resolve("siem.log"), cert, key));
        siem = new ProcessBuilder(
                        rsyslogd.toString(),
                        "-n",
                        "-f",
                        conf.toString(),
                        "-i",
                        dir.resolve("siem.pid").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("siem.out").toFile())
                .start();
        for (int i = 0; i < 100; i++) {
            try {
                new Socket("127.0.0.1", port).close();
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError(
                "rsyslog did not listen on " + port + ":\n" + Files.readString(dir.resolve("siem.out")));
    }

    private void stopSiem() throws Exception {
        if (siem != null) {
            siem.destroy(); // SIGTERM: rsyslog stops and closes its connections, as a SIEM restart does
            siem.waitFor(10, TimeUnit.SECONDS);
            siem = null;
        }
    }

    private int startSensor(int siemPort, boolean tls) throws Exception {
        Files.writeString(dir.resolve("ioc.txt"), "192.0.2.66\n");
        Files.writeString(dir.resolve("ua.txt"), "^curl/\n");
        Path config = dir.resolve("mamori.yaml");
        Files.writeString(config, """
                inputs:
                  http: {port: 0}
                  syslog: {udp_port: -1, tcp_port: 0}
                intel: {indicator_files: [ioc.txt], allowed_user_agents_file: ua.txt}
                outputs:
                  file: {path: var/alerts.jsonl}
                  syslog: {host: 127.0.0.1, port: %d, protocol: %s, format: json, spool: {path: var/spool}%s}
                """.formatted(siemPort, tls ? "tls" : "tcp", tls ? ", ca: siem.crt" : ""));
        sensor = SensorProcess.start(dir, "run", "--config", config.toString());
        sensor.awaitListening("http", 60);
        return sensor.awaitListening("syslog", "tcp", 60);
    }

    /** Firewall refusals from distinct internal sources: one connect-back alert each. */
    private static void refusals(int port, int from, int to) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            for (int i = from; i <= to; i++) {
                out.write(("kernel: DROP IN=eth1 OUT=eth0 SRC=10.0.1." + i + " DST=198.51.100.7 LEN=60 PROTO=TCP"
                                + " SPT=40000 DPT=443\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        }
    }

    /** The source addresses rsyslog wrote, in the order it wrote them. */
    private List<Integer> received() throws IOException {
        Path log = dir.resolve("siem.log");
        List<Integer> out = new ArrayList<>();
        if (!Files.exists(log)) {
            return out;
        }
        for (String line : Files.readAllLines(log)) {
            String json = line.strip();
            if (json.startsWith("{")) {
                JsonNode a = JSON.readTree(json);
                String ip = a.path("source.ip").asText();
                out.add(Integer.parseInt(ip.substring(ip.lastIndexOf('.') + 1)));
            }
        }
        return out;
    }

    private List<Integer> awaitReceived(int distinct) throws Exception {
        List<Integer> got = List.of();
        for (int i = 0; i < 600; i++) {
            got = received();
            if (new LinkedHashSet<>(got).size() >= distinct) {
                return got;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the SIEM has " + got + "; sensor log:\n" + String.join("\n", sensor.drain()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "tls"})
    void everyAlertArrivesInOrderAcrossASiemOutageAndAKill9(String protocol) throws Exception {
        boolean tls = protocol.equals("tls");
        if (tls) {
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
                    "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout",
                    dir.resolve("siem.key").toString(),
                    "-out",
                    dir.resolve("siem.crt").toString());
        }
        int siemPort;
        try (ServerSocket free = new ServerSocket(0)) {
            siemPort = free.getLocalPort();
        }
        startSiem(siemPort, tls);
        int syslog = startSensor(siemPort, tls);
        refusals(syslog, 1, 10);
        assertThat(new LinkedHashSet<>(awaitReceived(10))).hasSize(10);

        stopSiem();
        refusals(syslog, 11, 20);
        sensor.awaitMetrics("mamori_alerts_total{rule=\"fw.connect_back\",severity=\"high\"} 20.0");
        Thread.sleep(1500); // the writer has appended and synced them, and failed to send them
        sensor.signal("KILL");
        sensor.process.waitFor(10, TimeUnit.SECONDS);
        sensor = null;

        syslog = startSensor(siemPort, tls); // the spool from before the kill is read back
        refusals(syslog, 21, 30);
        sensor.awaitMetrics("mamori_alerts_total{rule=\"fw.connect_back\",severity=\"high\"} 10.0");
        assertThat(sensor.get("/metrics")).containsPattern("mamori_output_spool_bytes\\{output=\"syslog\"} [1-9]");
        startSiem(siemPort, tls);
        List<Integer> got = awaitReceived(30);

        Set<Integer> firstSeen = new LinkedHashSet<>(got);
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            expected.add(i);
        }
        assertThat(new ArrayList<>(firstSeen))
                .as("every alert, first seen in order: " + got)
                .isEqualTo(expected);
        sensor.awaitMetrics("mamori_output_spool_bytes{output=\"syslog\"} 0.0");
    }
}
