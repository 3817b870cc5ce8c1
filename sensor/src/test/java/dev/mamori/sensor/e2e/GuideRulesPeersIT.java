package dev.mamori.sensor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules that follow the guide deeper, end to end over syslog from {@code logger}: account
 * creation, privileged group changes, accounts on new hosts, the Task Scheduler's and System log's
 * events, and remote administration between workstations.
 */
class GuideRulesPeersIT {

    @TempDir
    Path dir;

    private SensorProcess sensor;

    @AfterEach
    void stop() {
        if (sensor != null) {
            sensor.close();
        }
    }

    private int start() throws Exception {
        Files.writeString(dir.resolve("ioc.txt"), "192.0.2.66\n");
        Files.writeString(dir.resolve("ua.txt"), "^curl/\n");
        Path config = dir.resolve("mamori.yaml");
        Files.writeString(config, """
                site:
                  ad_domains: [{netbios: CORP, fqdn: corp.example.com}]
                  client_networks: [10.20.0.0/16]
                  admin_networks: [10.20.99.0/24]
                inputs:
                  http: {port: 0}
                  syslog: {udp_port: -1, tcp_port: 0}
                intel: {indicator_files: [ioc.txt], allowed_user_agents_file: ua.txt}
                detectors:
                  ad.new_account_host: {learning_period: 2s}
                  sensor.clock_skew: {enabled: false}   # the lines carry fixed dates in the past
                outputs: {file: {path: var/alerts.jsonl}}
                """);
        sensor = SensorProcess.start(dir, "run", "--config", config.toString());
        sensor.awaitListening("http", 60);
        return sensor.awaitListening("syslog", "tcp", 60);
    }

    private static void send(int port, String tag, String message) throws Exception {
        Peers.run(
                Peers.require("logger", "bsdutils").toString(),
                "-n",
                "127.0.0.1",
                "-P",
                Integer.toString(port),
                "-T",
                "--rfc5424",
                "--octet-count",
                "--size",
                "8192",
                "-t",
                tag,
                message);
    }

    /** An event as NXLog's to_json() writes it. */
    private static String nxlog(int id, String source, String channel, String... kv) {
        StringBuilder b = new StringBuilder(
                        "{\"EventTime\":\"2026-11-27 10:00:00\",\"Hostname\":\"DC01.corp.example.com\",")
                .append("\"EventID\":")
                .append(id)
                .append(",\"SourceName\":\"")
                .append(source)
                .append("\",\"Channel\":\"")
                .append(channel)
                .append('"');
        for (int i = 0; i < kv.length; i += 2) {
            b.append(",\"").append(kv[i]).append("\":\"").append(kv[i + 1]).append('"');
        }
        return b.append('}').toString();
    }

    @Test
    void theGuidesDeeperRulesAlertOverSyslog() throws Exception {
        int port = start();
        String security = "Microsoft-Windows-Security-Auditing";
        send(
                port,
                "nxlog",
                nxlog(
                        4720,
                        security,
                        "Security",
                        "TargetUserName",
                        "svc-new",
                        "TargetDomainName",
                        "CORP",
                        "SubjectUserName",
                        "adm-alice",
                        "SubjectDomainName",
                        "CORP"));
        send(
                port,
                "nxlog",
                nxlog(
                        4728,
                        security,
                        "Security",
                        "TargetUserName",
                        "Domain Admins",
                        "MemberName",
                        "CN=eve,OU=Users,DC=corp,DC=example,DC=com",
                        "SubjectUserName",
                        "mallory"));
        send(
                port,
                "nxlog",
                nxlog(
                        4728,
                        security,
                        "Security",
                        "TargetUserName",
                        "Sales",
                        "MemberName",
                        "CN=bob,OU=Users,DC=corp,DC=example,DC=com"));
        send(
                port,
                "nxlog",
                nxlog(
                        106,
                        "Microsoft-Windows-TaskScheduler",
                        "Microsoft-Windows-TaskScheduler/Operational",
                        "TaskName",
                        "\\\\Updater",
                        "UserContext",
                        "CORP\\\\mallory"));
        send(
                port,
                "nxlog",
                nxlog(
                        104,
                        "Microsoft-Windows-Eventlog",
                        "System",
                        "SubjectUserName",
                        "mallory",
                        "SubjectDomainName",
                        "CORP",
                        "Channel",
                        "Windows PowerShell"));
        // learned during the first 2 s of carol's history, then a new address
        send(
                port,
                "nxlog",
                nxlog(
                        4624,
                        security,
                        "Security",
                        "TargetUserName",
                        "carol",
                        "TargetDomainName",
                        "CORP",
                        "LogonType",
                        "3",
                        "IpAddress",
                        "10.1.1.10"));
        Thread.sleep(2500);
        send(
                port,
                "nxlog",
                nxlog(
                        4624,
                        security,
                        "Security",
                        "TargetUserName",
                        "carol",
                        "TargetDomainName",
                        "CORP",
                        "LogonType",
                        "3",
                        "IpAddress",
                        "10.1.1.10"));
        send(
                port,
                "nxlog",
                nxlog(
                        4624,
                        security,
                        "Security",
                        "TargetUserName",
                        "carol",
                        "TargetDomainName",
                        "CORP",
                        "LogonType",
                        "3",
                        "IpAddress",
                        "10.66.6.6"));
        send(
                port,
                "fw",
                "kernel: FW-ACCEPT IN=eth1 OUT=eth2 SRC=10.20.1.5 DST=10.20.7.9 LEN=60 PROTO=TCP SPT=50000"
                        + " DPT=445");
        send(
                port,
                "fw",
                "kernel: FW-ACCEPT IN=eth1 OUT=eth2 SRC=10.20.99.5 DST=10.20.7.9 LEN=60 PROTO=TCP SPT=50001"
                        + " DPT=3389");
        sensor.awaitMetrics("mamori_events_received_total{input=\"syslog\",transport=\"tcp\"} 10.0");
        List<JsonNode> got = sensor.alerts(a -> true);
        assertThat(got)
                .extracting(a ->
                        a.get("rule.id").asText() + " " + a.path("user.name").asText(""))
                .containsExactlyInAnyOrder(
                        "ad.account_created svc-new",
                        "ad.privileged_group_change eve",
                        "ad.scheduled_task mallory",
                        "ad.log_cleared mallory",
                        "ad.new_account_host carol",
                        "fw.lateral_admin ");
        JsonNode lateral = got.stream()
                .filter(a -> a.get("rule.id").asText().equals("fw.lateral_admin"))
                .findFirst()
                .orElseThrow();
        assertThat(lateral.get("source.ip").asText()).isEqualTo("10.20.1.5");
        assertThat(lateral.get("destination.port").asInt()).isEqualTo(445);
    }
}
