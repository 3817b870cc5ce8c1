package dev.mamori.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.sensor.config.ConfigLoader;
import dev.mamori.sensor.ingest.LogRecord;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lists reload under traffic: through the API and on file change; a bad list is refused. */
class ReloadIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Sensor sensor;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("ioc.txt"), "192.0.2.66\n");
        Files.writeString(dir.resolve("ua.txt"), "curl/.*\n");
        Files.writeString(dir.resolve("mamori.yaml"), """
                inputs: {http: {port: 0}, syslog: {udp_port: -1, tcp_port: 0}}
                intel: {indicator_files: [ioc.txt], allowed_user_agents_file: ua.txt}
                detectors: {fw.c2_communication: {aggregation_window: 1s}}
                """);
        sensor = Sensor.start(ConfigLoader.load(dir.resolve("mamori.yaml")));
    }

    @AfterEach
    void stop() {
        sensor.stop();
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sensor.httpPort() + path))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private long c2Alerts(String destination) throws Exception {
        String body = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sensor.httpPort()
                                        + "/api/alerts?rule=fw.c2_communication&limit=1000"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return body.lines()
                .filter(l -> l.contains("\"destination.ip\":\"" + destination + "\""))
                .count();
    }

    private void send(OutputStream out, String destination) throws Exception {
        out.write(("<13>Nov 28 10:00:00 gw kernel: FW-ACCEPT IN=eth1 OUT=eth0 SRC=10.4.0." + (int) (Math.random() * 200)
                        + " DST=" + destination + " LEN=60 PROTO=TCP SPT=1 DPT=443\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private void await(String destination, long atLeast) throws Exception {
        for (int i = 0; i < 100 && c2Alerts(destination) < atLeast; i++) {
            Thread.sleep(100);
        }
        assertThat(c2Alerts(destination)).as(destination).isGreaterThanOrEqualTo(atLeast);
    }

    @Test
    void reloadsThroughTheApiAndOnFileChangeWhileTheConnectionStaysUp() throws Exception {
        int port = sensor.listeners().find("syslog", "tcp").port();
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            send(out, "203.0.113.9");
            send(out, "192.0.2.66");
            await("192.0.2.66", 1);
            assertThat(c2Alerts("203.0.113.9")).isZero();

            Path ioc = dir.resolve("ioc.txt");
            Files.writeString(ioc, "192.0.2.66\n203.0.113.9\n");
            HttpResponse<String> ok = post("/api/reload");
            assertThat(ok.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(ok.body());
            assertThat(body.get("status").asText()).isEqualTo("reloaded");
            assertThat(body.get("indicators").asInt()).isEqualTo(2);
            send(out, "203.0.113.9");
            await("203.0.113.9", 1);

            Files.writeString(ioc, "192.0.2.66\nthis is not an indicator\n");
            HttpResponse<String> refused = post("/api/reload");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(refused.body()).get("errors").get(0).asText())
                    .endsWith("ioc.txt:2: not an IP address, CIDR block, domain or URL: 'this is not an indicator'");
            Thread.sleep(1500); // past the aggregation window
            send(out, "203.0.113.9");
            await("203.0.113.9", 2); // the old list is still in force

            Files.writeString(ioc, "198.51.100.99\n");
            Files.setLastModifiedTime(ioc, FileTime.from(Instant.now().plusSeconds(5)));
            for (int i = 0; i < 100; i++) { // the file watcher polls every 2 s
                send(out, "198.51.100.99");
                if (c2Alerts("198.51.100.99") > 0) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(c2Alerts("198.51.100.99")).isPositive();
            assertThat(s.isClosed()).isFalse();
        }
        String metrics = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sensor.httpPort() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
                .contains("mamori_intel_reloads_total{result=\"failed\"}")
                .contains("mamori_intel_reloads_total{result=\"ok\"}");
    }

    private long privilegeAlerts(String user) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sensor.httpPort()
                                        + "/api/alerts?rule=ad.unexpected_privilege&limit=1000"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body()
                .lines()
                .filter(l -> l.contains("\"user.name\":\"" + user + "\""))
                .count();
    }

    private void privilegeEvent(String user) {
        sensor.ingest()
                .router()
                .route(new LogRecord(
                        "{\"EventID\":4672,\"Hostname\":\"DC01\","
                                + "\"SourceName\":\"Microsoft-Windows-Security-Auditing\",\"SubjectUserName\":\"" + user
                                + "\","
                                + "\"SubjectDomainName\":\"CORP\"}",
                        "dc01",
                        null,
                        ObserverInput.SYSLOG));
    }

    @Test
    void accountListsInTheConfigurationReloadAndAnInvalidFileIsRefusedWithKeyPaths() throws Exception {
        privilegeEvent("bob");
        assertThat(privilegeAlerts("bob")).isEqualTo(1);
        Path config = dir.resolve("mamori.yaml");
        String text = Files.readString(config);
        Files.writeString(config, text + "site: {privileged_accounts: [administrator, bob]}\n");
        HttpResponse<String> ok = post("/api/reload");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        privilegeEvent("bob");
        assertThat(privilegeAlerts("bob"))
                .as("bob is now expected to hold privileges")
                .isEqualTo(1);

        Files.writeString(config, text + "site: {privileged_acounts: [bob]}\n");
        HttpResponse<String> refused = post("/api/reload");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body())
                .contains("site.privileged_acounts: unknown key (did you mean 'privileged_accounts'?)");
        privilegeEvent("bob");
        assertThat(privilegeAlerts("bob")).as("the last good lists stay").isEqualTo(1);
    }
}
