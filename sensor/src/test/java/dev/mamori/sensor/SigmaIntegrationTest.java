package dev.mamori.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.sensor.config.ConfigLoader;
import dev.mamori.sensor.ingest.LogRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sigma rules in the running sensor: beside the built-in rules, reloaded with the lists. */
class SigmaIntegrationTest {

    @TempDir
    Path dir;

    private static final String WHOAMI = "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">"
            + "<System><Provider Name=\"Microsoft-Windows-Security-Auditing\"/><EventID>4688</EventID>"
            + "<TimeCreated SystemTime=\"2026-12-01T01:00:00.000Z\"/><EventRecordID>7</EventRecordID>"
            + "<Channel>Security</Channel><Computer>PC01.corp.example.com</Computer></System><EventData>"
            + "<Data Name=\"SubjectUserName\">alice</Data>"
            + "<Data Name=\"NewProcessName\">C:\\Windows\\System32\\whoami.exe</Data>"
            + "<Data Name=\"CommandLine\">whoami /priv</Data></EventData></Event>";

    private static String rule(String id, String image) {
        return """
                title: Whoami run
                id: %s
                status: test
                level: medium
                tags: [attack.discovery, attack.t1033]
                logsource: {product: windows, category: process_creation}
                detection:
                    selection: {Image|endswith: '%s'}
                    condition: selection
                """.formatted(id, image);
    }

    private static List<Alert> sigma(Sensor s) {
        return s.alerts().recent().query(null, null, null, -1).stream()
                .filter(a -> a.ruleId().startsWith("sigma:"))
                .toList();
    }

    @Test
    void sigmaRulesRaiseAlertsBesideTheGuidesAndReloadWithTheLists() throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("whoami.yml"), rule("11111111-1111-4111-8111-111111111111", "\\whoami.exe"));
        Files.writeString(rules.resolve("broken.yml"), "title: broken\nid: x\nlogsource: {product: linux}\n");
        Files.writeString(dir.resolve("mamori.yaml"), """
                inputs: {http: {port: 0}}
                detectors: {sigma: {rules: [rules]}}
                sensor: {state_dir: state}
                """);
        Sensor s = Sensor.start(ConfigLoader.load(dir.resolve("mamori.yaml")));
        try {
            s.ingest().router().route(new LogRecord(WHOAMI, "wec", null, ObserverInput.SYSLOG));
            assertThat(sigma(s)).singleElement().satisfies(a -> {
                assertThat(a.ruleId()).isEqualTo("sigma:11111111-1111-4111-8111-111111111111");
                assertThat(a.ruleName()).isEqualTo("Whoami run");
                assertThat(a.field(AlertField.HOST_NAME)).isEqualTo("PC01.corp.example.com");
                assertThat(a.field(AlertField.USER_NAME)).isEqualTo("alice");
                assertThat(a.field(AlertField.THREAT_TECHNIQUE_ID)).isEqualTo("T1033");
            });
            assertThat(s.metrics().scrape())
                    .contains("mamori_sigma_rules_loaded 1.0")
                    .contains("mamori_sigma_rules_rejected{reason=\"logsource\"} 1.0");

            // the rule changed on disk: a reload puts the new one in force, the old one is gone
            Files.writeString(rules.resolve("whoami.yml"), rule("22222222-2222-4222-8222-222222222222", "\\cmd.exe"));
            Files.writeString(
                    rules.resolve("whoami2.yml"), rule("33333333-3333-4333-8333-333333333333", "\\whoami.exe"));
            assertThat(s.reload("test").join().ok()).isTrue();
            s.ingest().router().route(new LogRecord(WHOAMI, "wec", null, ObserverInput.SYSLOG));
            assertThat(sigma(s))
                    .extracting(Alert::ruleId)
                    .containsExactly(
                            "sigma:11111111-1111-4111-8111-111111111111", "sigma:33333333-3333-4333-8333-333333333333");
            assertThat(s.metrics().scrape()).contains("mamori_sigma_rules_loaded 2.0");
        } finally {
            s.stop();
        }
    }
}
