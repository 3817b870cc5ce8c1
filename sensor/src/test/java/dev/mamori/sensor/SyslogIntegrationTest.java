package dev.mamori.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mamori.sensor.config.ConfigLoader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sensor in-process with its syslog listeners on port 0, fed over real sockets. */
class SyslogIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DENY_WEB = "<164>Nov 28 10:00:01 fgt1 date=2026-11-28 time=10:00:01 type=\"traffic\" "
            + "srcip=10.1.2.3 srcport=50001 dstip=198.51.100.7 dstport=443 proto=6 action=\"deny\"";

    @TempDir
    Path dir;

    private Sensor sensor;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("ioc.txt"), "192.0.2.66\n");
        Files.writeString(dir.resolve("ua.txt"), "curl/.*\n");
        Path config = dir.resolve("mamori.yaml");
        Files.writeString(config, """
                inputs:
                  http: {port: 0}
                  syslog: {udp_port: 0, tcp_port: 0, max_message_size: 8KiB}
                intel: {indicator_files: [ioc.txt], allowed_user_agents_file: ua.txt}
                outputs: {file: {path: alerts.jsonl}}
                # the test lines carry fixed dates in the past: not a clock to report
                detectors: {sensor.clock_skew: {enabled: false}}
                """);
        sensor = Sensor.start(ConfigLoader.load(config));
    }

    @AfterEach
    void stop() {
        sensor.stop();
    }

    private int port(String transport) {
        return sensor.listeners().find("syslog", transport).port();
    }

    private String get(String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sensor.httpPort() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private List<JsonNode> awaitAlerts(Predicate<List<JsonNode>> done) throws Exception {
        List<JsonNode> alerts = List.of();
        for (int i = 0; i < 100; i++) {
            alerts = get("/api/alerts?limit=1000")
                    .lines()
                    .map(l -> {
                        try {
                            return JSON.readTree(l);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toList();
            if (done.test(alerts)) {
                return alerts;
            }
            Thread.sleep(50);
        }
        return alerts;
    }

    @Test
    void tcpGarbageAndOversizeFramesDoNotDisturbTheNextValidMessage() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port("tcp"))) {
            OutputStream out = s.getOutputStream();
            out.write(("x".repeat(1 << 20) + "\n").getBytes(StandardCharsets.US_ASCII)); // 1 MiB garbage frame
            byte[] blob = new byte[64 * 1024];
            new Random(7).nextBytes(blob);
            out.write(blob); // binary blob
            out.write(("\n" + DENY_WEB + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            List<JsonNode> alerts = awaitAlerts(a -> !a.isEmpty());
            assertThat(alerts).singleElement().satisfies(a -> {
                assertThat(a.get("rule.id").asText()).isEqualTo("fw.connect_back");
                assertThat(a.get("observer.input").asText()).isEqualTo("syslog");
                assertThat(a.get("host.name").asText()).isEqualTo("fgt1");
            });
        }
        String metrics = get("/metrics");
        assertThat(metrics).contains("mamori_events_dropped_total{input=\"syslog\",reason=\"oversize\"} ");
        assertThat(metric(metrics, "mamori_events_dropped_total{input=\"syslog\",reason=\"oversize\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(metric(metrics, "mamori_events_parsed_total{format=\"fortigate\"}"))
                .isEqualTo(1);
        assertThat(metric(metrics, "mamori_received_bytes_total{input=\"syslog\",transport=\"tcp\"}"))
                .isGreaterThan(1 << 20);
        assertThat(metric(metrics, "mamori_firewall_events_total{action=\"deny\",direction=\"outbound\"}"))
                .isEqualTo(1);
        assertThat(metric(metrics, "mamori_alerts_total{rule=\"fw.connect_back\",severity=\"high\"}"))
                .isEqualTo(1);
    }

    @Test
    void udpFeedsTheSameDetectionsAndTheSummaryApi() throws Exception {
        try (DatagramSocket socket = new DatagramSocket()) {
            byte[] c2 =
                    "<13>Nov 28 10:00:01 cp-gw CEF:0|Vendor|FW|1|100|Allowed|3|act=allow src=10.1.2.5 spt=40000 dst=192.0.2.66 dpt=8443 proto=TCP"
                            .getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(c2, c2.length, InetAddress.getByName("127.0.0.1"), port("udp")));
        }
        List<JsonNode> alerts = awaitAlerts(a -> !a.isEmpty());
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.get("rule.id").asText()).isEqualTo("fw.c2_communication");
            assertThat(a.get("rule.severity").asText()).isEqualTo("critical");
        });
        JsonNode summary = JSON.readTree(get("/api/firewall/summary"));
        JsonNode hour = summary.get("hours").get(0);
        assertThat(hour.get("events").asLong()).isEqualTo(1);
        assertThat(hour.at("/by_action_and_direction/allow/outbound").asLong()).isEqualTo(1);
        assertThat(hour.get("top_destinations").get(0).get("key").asText()).isEqualTo("192.0.2.66");
        assertThat(metric(get("/metrics"), "mamori_events_received_total{input=\"syslog\",transport=\"udp\"}"))
                .isEqualTo(1);
    }

    @Test
    void heldAlertCountsAreWrittenOnShutdown() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port("tcp"))) {
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < 20; i++) {
                out.write((DENY_WEB + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            awaitAlerts(a -> !a.isEmpty());
            for (int i = 0;
                    i < 100 && metric(get("/metrics"), "mamori_events_parsed_total{format=\"fortigate\"}") < 20;
                    i++) {
                Thread.sleep(50);
            }
        }
        sensor.stop();
        List<String> lines = Files.readAllLines(dir.resolve("alerts.jsonl"));
        assertThat(lines).hasSize(2);
        assertThat(JSON.readTree(lines.get(1)).get("event.count").asLong()).isEqualTo(19);
    }

    private static double metric(String text, String series) {
        return text.lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToDouble(
                        l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .findFirst()
                .orElse(-1);
    }

    /**
     * A sender far faster than detection: the TCP input reads no faster than it processes (the
     * sender is held back by TCP, not dropped), so every line is received and parsed.
     */
    @Test
    void tcpUnderOverloadHoldsTheSenderBackAndLosesNothing() throws Exception {
        int lines = 100_000;
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            batch.append("<13>Nov 28 10:00:01 gw kernel: DROP IN=eth1 OUT=eth0 SRC=10.4.")
                    .append(i % 250)
                    .append('.')
                    .append(1 + i / 250)
                    .append(" DST=198.51.100.7 LEN=60 PROTO=TCP SPT=40000 DPT=443\n");
        }
        byte[] bytes = batch.toString().getBytes(StandardCharsets.US_ASCII);
        try (Socket s = new Socket("127.0.0.1", port("tcp"))) {
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < lines / 1000; i++) {
                out.write(bytes);
            }
            out.flush();
        }
        String prefix = "mamori_events_parsed_total{format=\"netfilter\"} ";
        double parsed = 0;
        for (int i = 0; i < 600 && parsed < lines; i++) {
            parsed = metric(get("/metrics"), prefix.substring(0, prefix.length() - 1));
            Thread.sleep(100);
        }
        String m = get("/metrics");
        assertThat(metric(m, "mamori_events_received_total{input=\"syslog\",transport=\"tcp\"}"))
                .isEqualTo(lines);
        assertThat(metric(m, "mamori_events_parsed_total{format=\"netfilter\"}"))
                .isEqualTo(lines);
        assertThat(m).doesNotContainPattern("mamori_events_dropped_total\\{input=\"syslog\",reason=\"[a-z_]+\"} [1-9]");
    }
}
