package dev.mamori.sensor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
 * Squid 5 with Mamori as its ICAP REQMOD service and access-log receiver, curl through it to a
 * local origin server; and c-icap-client against the ICAP service directly.
 */
class ProxyPeersIT {

    private static final String BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

    @TempDir
    Path dir;

    private HttpServer origin;
    private SensorProcess sensor;
    private SquidProcess squid;

    @BeforeEach
    void origin() throws Exception {
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        origin.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "hello from origin\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        origin.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (squid != null) {
            squid.close();
        }
        if (sensor != null) {
            sensor.close();
        }
        origin.stop(0);
    }

    private void start(String block) throws Exception {
        Path squidBin = Peers.require("squid", "squid");
        Files.writeString(dir.resolve("ioc.txt"), "c2.example.net\n");
        Files.writeString(dir.resolve("ua.txt"), "curl/.*\nMozilla/5\\.0 \\(Windows NT 10\\.0.*\nC-ICAP-Client/.*\n");
        Path config = dir.resolve("mamori.yaml");
        Files.writeString(config, """
                inputs:
                  http: {port: 0}
                  syslog: {udp_port: 0, tcp_port: -1}
                  icap: {port: 0, action: block, block: [%s]}
                intel: {indicator_files: [ioc.txt], allowed_user_agents_file: ua.txt}
                outputs: {file: {path: var/alerts.jsonl}}
                detectors:
                  proxy.exfiltration: {threshold_bytes: 6000, window: 1h}
                """.formatted(block));
        sensor = SensorProcess.start(dir, "run", "--config", config.toString());
        sensor.awaitListening("http", 60);
        int icap = sensor.awaitListening("icap", "tcp", 60);
        int syslog = sensor.awaitListening("syslog", "udp", 60);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        squid = SquidProcess.start(
                squidBin, dir.resolve("squid"), port, icap, syslog, "origin.test", "upload.test", "c2.example.net");
    }

    /** Runs curl through the proxy; returns "HTTP code, CONNECT code". */
    private String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Peers.require("curl", "curl").toString(),
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code} %{http_connect}",
                "-x",
                "http://127.0.0.1:" + squid.port,
                "--max-time",
                "20"));
        cmd.addAll(List.of(args));
        return Peers.finish(new ProcessBuilder(cmd).redirectErrorStream(true).start(), 30, "curl")
                .output()
                .strip();
    }

    private static boolean has(List<JsonNode> alerts, String rule, String input) {
        return alerts.stream()
                .anyMatch(a -> a.get("rule.id").asText().equals(rule)
                        && a.get("observer.input").asText().equals(input));
    }

    @Test
    void squidInBlockModePassesNormalTrafficAndBlocksWhatTheRulesName() throws Exception {
        start("proxy.c2_access, proxy.connect_nonstandard_port, proxy.unknown_user_agent");
        int port = origin.getAddress().getPort();
        assertThat(curl("-A", BROWSER, "http://origin.test:" + port + "/hello"))
                .as(squid.log())
                .startsWith("200");
        assertThat(curl("-A", "EvilBot/6.6", "http://origin.test:" + port + "/ua"))
                .startsWith("403");
        assertThat(curl("-A", BROWSER, "-p", "http://origin.test:" + port + "/tunnel"))
                .endsWith(" 403");
        assertThat(curl("-A", BROWSER, "http://c2.example.net:" + port + "/beacon"))
                .startsWith("403");

        // both access logs (native and mamori format) hold all four requests before alerts are read
        String m = sensor.awaitMetrics(
                "mamori_events_parsed_total{format=\"squid\"} 4.0",
                "mamori_events_parsed_total{format=\"mamori\"} 4.0");
        assertThat(m)
                .contains("mamori_icap_requests_total{method=\"REQMOD\",verdict=\"blocked\"} 3.0")
                .contains("mamori_icap_requests_total{method=\"REQMOD\",verdict=\"allowed\"} 1.0");
        List<JsonNode> got = sensor.alerts(a -> true);
        // inline: one alert per blocked request; from the two access logs: the C&C access and the
        // CONNECT once each (the agent's alert window is already open from the inline alert)
        assertThat(got)
                .extracting(a -> a.get("rule.id").asText() + " "
                        + a.get("observer.input").asText())
                .containsExactlyInAnyOrder(
                        "proxy.unknown_user_agent icap",
                        "proxy.connect_nonstandard_port icap",
                        "proxy.c2_access icap",
                        "proxy.connect_nonstandard_port syslog",
                        "proxy.connect_nonstandard_port syslog",
                        "proxy.c2_access syslog",
                        "proxy.c2_access syslog");
        assertThat(got)
                .as("the browser's /hello is allowed and raises nothing")
                .noneMatch(a -> a.path("url.full").asText().endsWith("/hello"));
    }

    @Test
    void postThenConnectUploadsPastTheThresholdAlertFromTheMamoriLog() throws Exception {
        start("proxy.unknown_user_agent");
        int port = origin.getAddress().getPort();
        Path small = dir.resolve("small.bin");
        Files.write(small, new byte[3000]);
        Path big = dir.resolve("big.bin");
        Files.write(big, new byte[4000]);
        assertThat(curl("-A", BROWSER, "--data-binary", "@" + small, "http://upload.test:" + port + "/start"))
                .startsWith("200");
        assertThat(curl("-A", BROWSER, "-p", "--data-binary", "@" + big, "http://upload.test:" + port + "/more"))
                .startsWith("200");
        List<JsonNode> got = sensor.alerts(a -> has(a, "proxy.exfiltration", "syslog"));
        assertThat(got)
                .filteredOn(a -> a.get("rule.id").asText().equals("proxy.exfiltration"))
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.get("destination.domain").asText()).isEqualTo("upload.test");
                    assertThat(a.get("event.count").asLong()).isGreaterThan(6000);
                });
    }

    @Test
    void cIcapClientOptionsReqmodAndPostWithPreview() throws Exception {
        start("proxy.c2_access");
        Path cicap = Peers.require("c-icap-client", "c-icap");
        int icap = sensor.awaitListening("icap", "tcp", 5);
        String options =
                Peers.run(cicap.toString(), "-i", "127.0.0.1", "-p", Integer.toString(icap), "-s", "reqmod", "-v");
        assertThat(options).contains("Methods: REQMOD").contains("Preview: 0").contains("Allow: 204");
        String reqmod = Peers.run(
                cicap.toString(),
                "-i",
                "127.0.0.1",
                "-p",
                Integer.toString(icap),
                "-s",
                "reqmod",
                "-req",
                "http://www.c2.example.net/page",
                "-v");
        assertThat(reqmod).contains("403 Forbidden").contains("X-Mamori-Rule: proxy.c2_access");
        Path body = dir.resolve("body.txt");
        Files.writeString(body, "x".repeat(5000));
        String post = Peers.run(
                cicap.toString(),
                "-i",
                "127.0.0.1",
                "-p",
                Integer.toString(icap),
                "-s",
                "reqmod",
                "-method",
                "POST",
                "-req",
                "http://origin.test/upload",
                "-f",
                body.toString(),
                "-w",
                "1024",
                "-v");
        // the verdict needs the head only: 204 right after the preview
        assertThat(post).contains("ICAP/1.0 204 No Content").contains("POST http://origin.test/upload HTTP/1.0");
        String blockedPost = Peers.run(
                cicap.toString(),
                "-i",
                "127.0.0.1",
                "-p",
                Integer.toString(icap),
                "-s",
                "reqmod",
                "-method",
                "POST",
                "-req",
                "http://c2.example.net/upload",
                "-f",
                body.toString(),
                "-v",
                "-d",
                "5");
        assertThat(blockedPost).contains("Preview response was with status: 200");
        String missing =
                Peers.run(cicap.toString(), "-i", "127.0.0.1", "-p", Integer.toString(icap), "-s", "nowhere", "-v");
        assertThat(missing).contains("ICAP/1.0 404");
    }
}
