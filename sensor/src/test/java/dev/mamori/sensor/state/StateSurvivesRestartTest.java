package dev.mamori.sensor.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.sensor.Sensor;
import dev.mamori.sensor.config.ConfigLoader;
import dev.mamori.sensor.config.MamoriConfig;
import dev.mamori.sensor.ingest.LogRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detection state written at shutdown is read back by the next start. */
class StateSurvivesRestartTest {

    @TempDir
    Path dir;

    private static String mamoriLine(String method, String url, long bytes, String agent) {
        return System.currentTimeMillis() / 1000 + ".000    10 10.1.2.3 TCP_MISS/200 100 " + method + " " + url
                + " - HIER_DIRECT/198.51.100.20 - " + bytes + " \"" + agent + "\"";
    }

    private static void feed(Sensor s, String line) {
        s.ingest().router().route(new LogRecord(line, "squid", null, ObserverInput.SYSLOG));
    }

    @Test
    void uploadSequencesAndAgentWindowsSurviveARestart() throws Exception {
        Files.writeString(dir.resolve("ioc.txt"), "192.0.2.66\n");
        Files.writeString(dir.resolve("ua.txt"), "Mozilla/.*\n");
        Files.writeString(dir.resolve("mamori.yaml"), """
                inputs: {http: {port: 0}}
                intel: {indicator_files: [ioc.txt], allowed_user_agents_file: ua.txt}
                detectors: {proxy.exfiltration: {threshold_bytes: 5000, window: 1h}}
                sensor: {state_dir: state}
                """);
        MamoriConfig config = ConfigLoader.load(dir.resolve("mamori.yaml"));
        Sensor first = Sensor.start(config);
        feed(first, mamoriLine("POST", "http://upload.test/a", 3000, "Mozilla/5.0"));
        feed(first, mamoriLine("GET", "http://other.test/", 10, "EvilBot/1"));
        assertThat(first.alerts().recent().query("proxy.unknown_user_agent", null, null, -1))
                .hasSize(1);
        first.stop();
        assertThat(dir.resolve("state/proxy.exfiltration.json")).exists();
        assertThat(dir.resolve("state/proxy.unknown_user_agent.json")).exists();

        Sensor second = Sensor.start(config);
        try {
            feed(second, mamoriLine("CONNECT", "upload.test:443", 2500, "Mozilla/5.0"));
            feed(second, mamoriLine("GET", "http://other.test/", 10, "EvilBot/1"));
            assertThat(second.alerts().recent().query("proxy.exfiltration", null, null, -1))
                    .as("the POST from before the restart counts")
                    .hasSize(1);
            assertThat(second.alerts().recent().query("proxy.unknown_user_agent", null, null, -1))
                    .as("still inside the agent's alert window")
                    .isEmpty();
        } finally {
            second.stop();
        }
    }
}
