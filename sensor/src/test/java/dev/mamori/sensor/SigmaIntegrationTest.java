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

    private static final String CLEARED = "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">"
            + "<System><Provider Name=\"Microsoft-Windows-Eventlog\"/><EventID>1102</EventID>"
            + "<TimeCreated SystemTime=\"2026-12-01T01:00:00.000Z\"/><EventRecordID>8</EventRecordID>"
            + "<Channel>Security</Channel><Computer>DC01.corp.example.com</Computer></System>"
            + "<UserData><LogFileCleared xmlns=\"http://manifests.microsoft.com/win/2004/08/windows/eventlog\">"
            + "<SubjectUserName>mallory</SubjectUserName></LogFileCleared></UserData></Event>";

    @Test
    void proxyFirewallCorrelationAndBuiltInRulesOnOneStreamAndRulesFollowTheirFiles() throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("proxy.yml"), """
                title: Executable download
                id: proxy-exe
                status: test
                logsource: {category: proxy}
                detection:
                    selection: {c-uri-extension: exe, cs-method: GET}
                    condition: selection
                """);
        Files.writeString(rules.resolve("firewall.yml"), """
                title: Cleartext protocol allowed
                id: fw-cleartext
                status: test
                logsource: {category: firewall}
                detection:
                    selection: {dst_port: [21, 23], blocked: 'false'}
                    condition: selection
                """);
        Files.writeString(rules.resolve("cleared.yml"), """
                title: Security log cleared
                id: sigma-cleared
                status: stable
                level: high
                logsource: {product: windows, service: security}
                detection:
                    selection: {EventID: 1102, Provider_Name: Microsoft-Windows-Eventlog}
                    condition: selection
                """);
        Files.writeString(rules.resolve("scan.yml"), """
                title: Denied connections from one host to many ports
                id: fw-scan
                status: test
                correlation:
                    type: value_count
                    rules: [fw_denied]
                    group-by: [src_ip]
                    timespan: 5m
                    condition: {field: dst_port, gte: 3}
                ---
                title: Denied connection
                id: fw-denied
                name: fw_denied
                logsource: {category: firewall}
                detection:
                    selection: {blocked: 'true'}
                    condition: selection
                """);
        Files.writeString(dir.resolve("mamori.yaml"), """
                inputs: {http: {port: 0}}
                detectors: {sigma: {rules: [rules]}}
                sensor: {state_dir: state}
                """);
        Sensor s = Sensor.start(ConfigLoader.load(dir.resolve("mamori.yaml")));
        try {
            assertThat(s.metrics().scrape()).contains("mamori_sigma_rules_loaded 5.0");
            route(
                    s,
                    "1795836127.725    158 10.1.2.3 TCP_MISS/200 28854 GET http://dl.example.com/a/setup.EXE?x=1"
                            + " - HIER_DIRECT/198.51.100.7 application/octet-stream");
            route(
                    s,
                    "<13>Dec  1 10:00:00 gw kernel: FW-ACCEPT IN=eth1 OUT=eth0 SRC=10.4.0.9 DST=198.51.100.8"
                            + " LEN=60 PROTO=TCP SPT=40000 DPT=23");
            for (int port : new int[] {22, 445, 3389, 445}) {
                route(
                        s,
                        "<13>Dec  1 10:00:0" + (port % 7) + " gw kernel: FW-DROP IN=eth1 OUT=eth0 SRC=10.4.0.66"
                                + " DST=10.9.0.1 LEN=60 PROTO=TCP SPT=40000 DPT=" + port);
            }
            route(s, CLEARED);
            assertThat(sigma(s))
                    .extracting(Alert::ruleId)
                    .containsExactly("sigma:proxy-exe", "sigma:fw-cleartext", "sigma:fw-scan", "sigma:sigma-cleared");
            assertThat(sigma(s).get(0).field(AlertField.SOURCE_IP)).isEqualTo("10.1.2.3");
            assertThat(sigma(s).get(2).message())
                    .contains("3 distinct values of dst_port")
                    .contains("10.4.0.66");
            assertThat(s.alerts().recent().query(null, null, null, -1))
                    .as("the built-in rule and the Sigma rule both raise theirs on one event")
                    .extracting(Alert::ruleId)
                    .contains("ad.log_cleared", "sigma:sigma-cleared");

            // a rule file changed on disk is put in force without a signal: the file poll reloads it
            Files.delete(rules.resolve("proxy.yml"));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!s.metrics().scrape().contains("mamori_sigma_rules_loaded 4.0") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(s.metrics().scrape()).contains("mamori_sigma_rules_loaded 4.0");
        } finally {
            s.stop();
        }
    }

    private static void route(Sensor s, String line) {
        s.ingest().router().route(new LogRecord(line, "192.0.2.1", null, ObserverInput.SYSLOG));
    }
}
