package dev.mamori.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.protocols.transport.Transport;
import dev.mamori.sensor.config.ConfigLoader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sensor.io} names the transport the sensor's listeners run on, and detections work on it. */
class TransportChoiceIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void theNamedTransportCarriesTheInputs() throws Exception {
        Path config = dir.resolve("mamori.yaml");
        Files.writeString(config, """
                inputs:
                  http: {port: 0}
                  syslog: {udp_port: 0, tcp_port: 0}
                outputs: {file: {path: alerts.jsonl}}
                detectors: {sensor.clock_skew: {enabled: false}}
                sensor: {io: nio}
                """);
        Sensor sensor = Sensor.start(ConfigLoader.load(config));
        try {
            assertThat(sensor.transport()).isEqualTo(Transport.NIO);
            int port = sensor.listeners().find("syslog", "tcp").port();
            try (Socket s = new Socket("127.0.0.1", port)) {
                OutputStream out = s.getOutputStream();
                out.write(("<164>Nov 28 10:00:01 fgt1 date=2026-11-28 time=10:00:01 type=\"traffic\""
                                + " srcip=10.1.2.3 srcport=50001 dstip=198.51.100.7 dstport=443 proto=6"
                                + " action=\"deny\"\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            HttpClient http = HttpClient.newHttpClient();
            String alerts = "";
            for (int i = 0; i < 100 && !alerts.contains("fw.connect_back"); i++) {
                Thread.sleep(50);
                alerts = http.send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + sensor.httpPort() + "/api/alerts"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
            }
            assertThat(alerts).contains("fw.connect_back").contains("10.1.2.3");
        } finally {
            sensor.stop();
        }
    }
}
