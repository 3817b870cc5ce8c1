package dev.mamori.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.protocols.transport.ListenerException;
import dev.mamori.sensor.config.ConfigLoader;
import dev.mamori.sensor.config.MamoriConfig;
import dev.mamori.sensor.ingest.LogRecord;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the sensor in-process on port 0 and talks to it over sockets. */
class SensorIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Sensor sensor;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("ioc.txt"), "192.0.2.1\n");
        Files.writeString(dir.resolve("ua.txt"), "curl/.*\n");
        Path config = dir.resolve("mamori.yaml");
        Files.writeString(config, """
                inputs: {http: {port: 0, recent_alerts: 50}}
                intel: {indicator_files: [ioc.txt], allowed_user_agents_file: ua.txt}
                outputs: {file: {path: out/alerts.jsonl}}
                sensor: {shutdown_timeout: 5s}
                """);
        MamoriConfig c = ConfigLoader.load(config);
        sensor = Sensor.start(c);
    }

    @AfterEach
    void stop() {
        sensor.stop();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sensor.httpPort() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsUpWithTheBoundPort() throws Exception {
        HttpResponse<String> r = get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).contains("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("status").asText()).isEqualTo("up");
        assertThat(body.get("listeners").get(0).get("name").asText()).isEqualTo("http");
        assertThat(body.get("listeners").get(0).get("port").asInt()).isEqualTo(sensor.httpPort());
    }

    @Test
    void healthIs503OnceStopping() throws Exception {
        sensor.listeners().stopping();
        HttpResponse<String> r = get("/health");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(r.body()).get("status").asText()).isEqualTo("stopping");
    }

    @Test
    void metricsAreThePrometheusTextWithMamoriAndJvmMeters() throws Exception {
        sensor.alerts().emit(TestAlerts.connectBack("10.0.0.9", Instant.now()));
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(r.body())
                .contains("mamori_alerts_total{rule=\"fw.connect_back\",severity=\"high\"} 1.0")
                .contains("mamori_build_info{version=")
                .contains("mamori_detection_latency_seconds_bucket")
                .contains("jvm_memory_used_bytes")
                .contains("process_uptime_seconds");
    }

    @Test
    void alertsApiFiltersAndFormats() throws Exception {
        Instant t0 = Instant.parse("2026-11-28T00:00:00Z");
        sensor.alerts().emit(TestAlerts.connectBack("10.0.0.1", t0));
        sensor.alerts().emit(TestAlerts.logCleared("dc01", Severity.HIGH, t0.plusSeconds(60)));
        sensor.alerts().emit(TestAlerts.logCleared("dc02", Severity.CRITICAL, t0.plusSeconds(120)));

        HttpResponse<String> all = get("/api/alerts");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("content-type")).contains("application/x-ndjson");
        List<String> lines = all.body().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(JSON.readTree(lines.get(0)).get("rule.id").asText()).isEqualTo("fw.connect_back");

        assertThat(get("/api/alerts?rule=ad.log_cleared").body().lines()).hasSize(2);
        assertThat(get("/api/alerts?severity=critical").body().lines())
                .singleElement()
                .satisfies(l -> assertThat(l).contains("\"host.name\":\"dc02\""));
        assertThat(get("/api/alerts?severity=high,critical&since=2026-11-28T00:01:00Z")
                        .body()
                        .lines())
                .hasSize(2);
        assertThat(get("/api/alerts?limit=1").body().lines())
                .singleElement()
                .satisfies(l -> assertThat(l).contains("dc02"));

        HttpResponse<String> array = get("/api/alerts?rule=ad.log_cleared", "Accept", "application/json");
        assertThat(array.headers().firstValue("content-type")).contains("application/json");
        assertThat(JSON.readTree(array.body()).size()).isEqualTo(2);

        assertThat(get("/api/alerts?since=yesterday").statusCode()).isEqualTo(400);
        assertThat(get("/api/alerts?severity=severe").statusCode()).isEqualTo(400);
        assertThat(get("/api/alerts?limit=-3").statusCode()).isEqualTo(400);
    }

    @Test
    void unknownPathsAre404AndWrongMethods405() throws Exception {
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sensor.httpPort() + "/health"))
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).contains("GET, HEAD");
        assertThat(JSON.readTree(post.body()).get("status").asInt()).isEqualTo(405);
    }

    @Test
    void oversizedAndMalformedRequestsGetAnHttpAnswer() throws Exception {
        try (Socket s = new Socket("127.0.0.1", sensor.httpPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[100_000]);
            out.flush();
            String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 413");
        }
        try (Socket s = new Socket("127.0.0.1", sensor.httpPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(reply).startsWith("HTTP/1.1 400");
        }
        assertThat(get("/health").statusCode()).as("still serving").isEqualTo(200);
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() throws Exception {
        try (Socket s = new Socket("127.0.0.1", sensor.httpPort())) {
            OutputStream out = s.getOutputStream();
            String req = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
            out.write((req + req + req).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[4096];
            while (got.toString().split("HTTP/1.1 200", -1).length - 1 < 3) {
                int n = in.read(buf);
                assertThat(n).isPositive();
                got.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void alertEmittedJustBeforeStopIsInTheFileAfterwards() throws Exception {
        sensor.alerts().emit(TestAlerts.connectBack("10.9.9.9", Instant.now()));
        sensor.stop();
        List<String> lines = Files.readAllLines(dir.resolve("out/alerts.jsonl"));
        assertThat(lines).singleElement().satisfies(l -> assertThat(l).contains("\"source.ip\":\"10.9.9.9\""));
    }

    @Test
    void aTlsSetUpFailureNamesTheInputItBelongsTo() throws Exception {
        Files.writeString(dir.resolve("bad.crt"), "not a certificate\n");
        Files.writeString(dir.resolve("bad.key"), "not a key\n");
        for (String input : List.of("smtp", "syslog")) {
            Path config = dir.resolve(input + "-tls.yaml");
            Files.writeString(config, """
                    inputs:
                      http: {port: 0}
                      smtp: {port: 0, tls: {certificate: bad.crt, key: bad.key}, enabled: %s}
                      syslog: {udp_port: -1, tcp_port: -1, tls_port: 0, tls: {certificate: bad.crt, key: bad.key},
                               enabled: %s}
                    intel: {indicator_files: [ioc.txt], allowed_user_agents_file: ua.txt}
                    """.formatted(input.equals("smtp"), input.equals("syslog")));
            MamoriConfig c = ConfigLoader.load(config);
            Assertions.assertThatThrownBy(() -> Sensor.start(c))
                    .isInstanceOf(ListenerException.class)
                    .hasMessageStartingWith(input.equals("smtp") ? "smtp (starttls): " : "syslog (tls): ")
                    .hasMessageContaining("bad.crt");
        }
    }

    @Test
    void keysADetectionCannotTrackAreCountedPerRule() throws Exception {
        Path config = dir.resolve("small-state.yaml");
        Files.writeString(config, """
                inputs: {http: {port: 0}}
                intel: {indicator_files: [ioc.txt], allowed_user_agents_file: ua.txt}
                sensor: {max_tracked_keys: 1000}
                """);
        Sensor small = Sensor.start(ConfigLoader.load(config));
        try {
            for (int i = 0; i < 1003; i++) { // 1003 clients each open an upload sequence: 3 cannot be tracked
                small.ingest()
                        .router()
                        .route(new LogRecord(
                                "1795836127.725    158 10."
                                        + (i / 250) + "." + (i % 250)
                                        + ".1 TCP_MISS/200 512 POST http://upload.example.com/post alice"
                                        + " HIER_DIRECT/192.0.2.30 application/json 2051 \"curl/8.5.0\"",
                                "proxy",
                                null,
                                ObserverInput.SYSLOG));
            }
            String metrics = small.metrics().scrape();
            assertThat(metrics)
                    .contains("mamori_detection_keys_dropped_total{rule=\"proxy.exfiltration\"} 3.0")
                    .contains("mamori_detection_keys_dropped_total{rule=\"ad.auth_failure_burst\"} 0.0");
        } finally {
            small.stop();
        }
    }

    @Test
    void proxyLinesWithoutTheFieldsARuleReadsAreCountedPerSource() {
        for (int i = 0; i < 3; i++) {
            sensor.ingest()
                    .router()
                    .route(new dev.mamori.sensor.ingest.LogRecord(
                            "1795836127.725    158 10.1.2.3 TCP_MISS/200 28854 GET http://www.example.com/ -"
                                    + " HIER_DIRECT/198.51.100.20 text/html",
                            "squid-hq",
                            null,
                            dev.mamori.detectors.alert.ObserverInput.SYSLOG));
        }
        sensor.ingest()
                .router()
                .route(new dev.mamori.sensor.ingest.LogRecord(
                        "1795836127.810 545 10.1.2.4 TCP_MISS/200 768 POST http://u.example/post - HIER_DIRECT/192.0.2.30"
                                + " application/json 2051 \"curl/8.5.0\"",
                        "squid-branch",
                        null,
                        dev.mamori.detectors.alert.ObserverInput.SYSLOG));
        String scrape = sensor.metrics().scrape();
        assertThat(scrape)
                .contains("mamori_source_missing_fields_total{field=\"user_agent\",source=\"squid-hq\"} 3.0")
                .contains("mamori_source_missing_fields_total{field=\"request_bytes\",source=\"squid-hq\"} 3.0")
                .doesNotContain("mamori_source_missing_fields_total{field=\"user_agent\",source=\"squid-branch\"}")
                .contains("mamori_source_events_total{source=\"squid-hq\"} 3.0");
    }

    @Test
    void firewallLinesWithoutPortsAreCountedPerSourceExceptWhereTheProtocolHasNone() {
        for (String line : new String[] {
            "CEF:0|Vendor|FW|1|100|Allowed|3|act=allow src=10.20.1.5 dst=10.20.1.9 proto=TCP",
            "CEF:0|Vendor|FW|1|100|Allowed|3|act=allow src=10.20.1.5 dst=10.20.1.9 proto=ICMP",
            "CEF:0|Vendor|FW|1|100|Allowed|3|act=allow src=10.20.1.5 spt=1000 dst=10.20.1.9 dpt=445 proto=TCP"
        }) {
            sensor.ingest()
                    .router()
                    .route(new dev.mamori.sensor.ingest.LogRecord(
                            line, "cp-gw", null, dev.mamori.detectors.alert.ObserverInput.SYSLOG));
        }
        assertThat(sensor.metrics().scrape())
                .contains("mamori_source_missing_fields_total{field=\"destination_port\",source=\"cp-gw\"} 1.0");
    }
}
