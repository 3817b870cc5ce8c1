package dev.mamori.sensor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Windows events over syslog from real senders, in each form they travel in: Event XML and NXLog
 * JSON from {@code logger}, Winlogbeat JSON and Snare (tabs escaped as #011 by rsyslog) forwarded
 * by rsyslog from a file.
 */
class WindowsPeersIT {

    @TempDir
    Path dir;

    private SensorProcess sensor;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("ioc.txt"), "192.0.2.66\n");
        Files.writeString(dir.resolve("ua.txt"), "curl/.*\n");
        Path config = dir.resolve("mamori.yaml");
        Files.writeString(config, """
                site: {ad_domains: [{netbios: CORP, fqdn: corp.example.com}], privileged_accounts: [administrator]}
                inputs:
                  http: {port: 0}
                  syslog: {udp_port: 0, tcp_port: 0}
                intel: {indicator_files: [ioc.txt], allowed_user_agents_file: ua.txt}
                outputs: {file: {path: var/alerts.jsonl}}
                # the lines carry fixed dates in the past: not a clock to report
                detectors: {sensor.clock_skew: {enabled: false}}
                """);
        sensor = SensorProcess.start(dir, "run", "--config", config.toString());
        sensor.awaitListening("http", 60);
        sensor.awaitListening("syslog", "tcp", 60);
    }

    @AfterEach
    void stop() {
        sensor.close();
    }

    @Test
    void loggerSendsEventXmlAndNxlogJson() throws Exception {
        Path logger = Peers.require("logger", "bsdutils");
        String xml = "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
                + "<Provider Name=\"Microsoft-Windows-Security-Auditing\"/><EventID>4769</EventID>"
                + "<TimeCreated SystemTime=\"2026-11-27T01:00:00.000000000Z\"/><Channel>Security</Channel>"
                + "<Computer>DC01.corp.example.com</Computer></System><EventData>"
                + "<Data Name=\"TargetUserName\">alice@CORP.EXAMPLE.COM</Data><Data Name=\"ServiceName\">krbtgt</Data>"
                + "<Data Name=\"IpAddress\">::ffff:10.1.2.3</Data><Data Name=\"Status\">0xf</Data></EventData></Event>";
        Peers.run(
                logger.toString(),
                "-n",
                "127.0.0.1",
                "-P",
                Integer.toString(sensor.awaitListening("syslog", "tcp", 5)),
                "-T",
                "--rfc5424",
                "--octet-count",
                "--size",
                "8192",
                "-t",
                "winxml",
                xml);
        String nxlog = "{\"EventTime\":\"2026-11-27 10:00:00\",\"Hostname\":\"DC01.corp.example.com\","
                + "\"EventID\":1102,\"SourceName\":\"Microsoft-Windows-Eventlog\",\"Channel\":\"Security\","
                + "\"SubjectUserName\":\"mallory\",\"SubjectDomainName\":\"CORP\"}";
        Peers.run(
                logger.toString(),
                "-n",
                "127.0.0.1",
                "-P",
                Integer.toString(sensor.awaitListening("syslog", "udp", 5)),
                "-d",
                "--rfc3164",
                "--size",
                "8192",
                "-t",
                "nxlog",
                nxlog);
        List<JsonNode> got = sensor.alerts(a -> a.size() >= 2);
        assertThat(got)
                .extracting(a -> a.get("rule.id").asText())
                .containsExactlyInAnyOrder("ad.ms14_068", "ad.log_cleared");
        assertThat(got).allSatisfy(a -> assertThat(a.get("host.name").asText()).isEqualTo("DC01.corp.example.com"));
    }

    @Test
    void rsyslogForwardsWinlogbeatJsonAndSnare() throws Exception {
        Path rsyslogd = Peers.require("rsyslogd", "rsyslog");
        Path lines = dir.resolve("windows.log");
        String winlogbeat = "{\"@timestamp\":\"2026-11-27T01:00:00.000Z\",\"winlog\":{\"event_id\":4698,"
                + "\"provider_name\":\"Microsoft-Windows-Security-Auditing\",\"channel\":\"Security\","
                + "\"computer_name\":\"WS01.corp.example.com\",\"event_data\":{\"SubjectUserName\":\"alice\","
                + "\"SubjectDomainName\":\"CORP\",\"TaskName\":\"\\\\Updater\",\"TaskContent\":\"<Task><Actions><Exec>"
                + "<Command>C:\\\\Users\\\\Public\\\\upd.exe</Command></Exec></Actions></Task>\"}}}";
        String snare =
                "MSWinEventLog\t1\tSecurity\t77\tFri Nov 27 10:00:00 2026\t4672\tMicrosoft-Windows-Security-Auditing"
                        + "\tN/A\tN/A\tSuccess Audit\tDC01.corp.example.com\tSpecial Logon\t\tSpecial privileges assigned to "
                        + "new logon.    Subject:   Security ID:  S-1-5-21-1   Account Name:  bob   Account Domain:  CORP   "
                        + "Logon ID:  0x1    Privileges:  SeDebugPrivilege\t78";
        Files.writeString(lines, winlogbeat + "\n" + snare + "\n");
        Path work = Files.createDirectories(dir.resolve("rsyslog-work"));
        Path conf = dir.resolve("rsyslog.conf");
        Files.writeString(conf, """
                global(workDirectory="%s" maxMessageSize="64k")
                module(load="imfile" mode="polling" PollingInterval="1")
                input(type="imfile" File="%s" Tag="winevents")
                action(type="omfwd" target="127.0.0.1" port="%d" protocol="tcp"
                       TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format")
                """.formatted(
                        work.toAbsolutePath(), lines.toAbsolutePath(), sensor.awaitListening("syslog", "tcp", 5)));
        Process rs = Peers.rsyslogd(rsyslogd, conf, dir);
        try {
            List<JsonNode> got = sensor.alerts(a -> a.size() >= 2);
            assertThat(got)
                    .as(Files.readString(dir.resolve("rsyslogd.out")))
                    .extracting(a -> a.get("rule.id").asText() + " "
                            + a.get("rule.severity").asText())
                    .containsExactlyInAnyOrder("ad.scheduled_task high", "ad.unexpected_privilege medium");
        } finally {
            rs.destroy();
            rs.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
