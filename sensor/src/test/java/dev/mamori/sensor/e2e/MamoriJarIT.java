package dev.mamori.sensor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end: the packaged jar as a process, HTTP from outside, promtool on the metrics text. */
class MamoriJarIT {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private Path config;

    @BeforeEach
    void writeConfig() throws Exception {
        Files.writeString(dir.resolve("ioc.txt"), "192.0.2.1\n");
        Files.writeString(dir.resolve("ua.txt"), "curl/.*\n");
        config = dir.resolve("mamori.yaml");
        Files.writeString(config, """
                inputs: {http: {port: 0}}
                intel: {indicator_files: [ioc.txt], allowed_user_agents_file: ua.txt}
                outputs: {file: {path: var/alerts.jsonl}}
                """);
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void runServesHealthAndMetricsThatPromtoolAcceptsThenStopsCleanlyOnSigterm() throws Exception {
        Path promtool = Peers.require("promtool", "prometheus");
        try (SensorProcess p = SensorProcess.start(dir, "run", "--config", config.toString())) {
            int port = p.awaitListening("http", 60);
            HttpResponse<String> health = get(port, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(new ObjectMapper()
                            .readTree(health.body())
                            .at("/listeners/0/port")
                            .asInt())
                    .isEqualTo(port);

            HttpResponse<String> metrics = get(port, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            Path text = dir.resolve("metrics.txt");
            Files.writeString(text, metrics.body());
            Process check = new ProcessBuilder(promtool.toString(), "check", "metrics")
                    .redirectInput(text.toFile())
                    .redirectErrorStream(true)
                    .start();
            Peers.Finished report = Peers.finish(check, 60, "promtool");
            assertThat(report.exit())
                    .as("promtool check metrics:\n" + report.output())
                    .isZero();

            p.signal("HUP");
            assertThat(p.awaitLine("intel: reload on SIGHUP: done", 30))
                    .as(String.join("\n", p.drain()))
                    .isTrue();

            p.sigterm();
            assertThat(p.waitForExit(30)).isZero();
            assertThat(p.drain()).anySatisfy(l -> assertThat(l).contains("stopped in"));
            assertThat(dir.resolve("var/alerts.jsonl")).exists();
        }
    }

    @Test
    void aTakenPortNamesTheListenerAndAddressAndExits1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Files.writeString(config, Files.readString(config).replace("port: 0", "port: " + taken.getLocalPort()));
            try (SensorProcess p = SensorProcess.start(dir, "run", "--config", config.toString())) {
                assertThat(p.waitForExit(60)).isEqualTo(1);
                assertThat(p.drain())
                        .anySatisfy(l -> assertThat(l)
                                .contains("cannot start: http (tcp): cannot listen on 127.0.0.1:"
                                        + taken.getLocalPort()));
            }
        }
    }

    @Test
    void checkConfigOnABrokenFileExits2() throws Exception {
        Files.writeString(config, "inputs: {smtp: {port: 70000}}\n");
        try (SensorProcess p = SensorProcess.start(dir, "check-config", "--config", config.toString())) {
            assertThat(p.waitForExit(60)).isEqualTo(2);
            assertThat(p.drain()).contains("  inputs.smtp.port: must be 0..65535, was 70000");
        }
    }

    @Test
    void runWithNoArgumentsUsesTheEmbeddedDefaultOnLoopback() throws Exception {
        for (int port : new int[] {9464, 5514, 1344, 10025}) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress("127.0.0.1", port));
            } catch (IOException e) {
                // The README's run command needs these ports as they are: a busy one fails, never skips.
                Assertions.fail("port " + port + " is in use here; the embedded default (the"
                        + " README's run command) listens on it: stop what holds it and run again");
            }
        }
        try (SensorProcess p = SensorProcess.start(dir, "run")) {
            int port = p.awaitListening("http", 60);
            assertThat(port).isEqualTo(9464);
            assertThat(get(port, "/health").statusCode()).isEqualTo(200);
            int cores = Runtime.getRuntime().availableProcessors();
            assertThat(p.drain())
                    .anySatisfy(l -> assertThat(l)
                            .contains("up with embedded:config/mamori.yaml")
                            .contains(" transport, " + cores + " event loop")
                            .endsWith(", " + 2 * cores + " for icap)"));
            p.sigterm();
            assertThat(p.waitForExit(30)).isZero();
        }
    }
}
