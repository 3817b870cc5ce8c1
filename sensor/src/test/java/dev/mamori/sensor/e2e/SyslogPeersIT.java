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
 * Real syslog senders against the packaged sensor: util-linux {@code logger} over UDP (RFC 3164) and
 * TCP (RFC 5424 with octet counting), and rsyslog forwarding a file of firewall lines over TCP.
 */
class SyslogPeersIT {

    @TempDir
    Path dir;

    private SensorProcess sensor;
    private int syslogPort;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("ioc.txt"), "192.0.2.66\n");
        Files.writeString(dir.resolve("ua.txt"), "curl/.*\n");
        Path config = dir.resolve("mamori.yaml");
        Files.writeString(config, """
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
        syslogPort = sensor.awaitListening("syslog", "tcp", 60);
    }

    @AfterEach
    void stop() {
        sensor.close();
    }

    private int udpPort() throws InterruptedException {
        return sensor.awaitListening("syslog", "udp", 5);
    }

    @Test
    void loggerOverUdpRfc3164AndTcpRfc5424OctetCounted() throws Exception {
        Path logger = Peers.require("logger", "bsdutils");
        Peers.run(
                logger.toString(),
                "-n",
                "127.0.0.1",
                "-P",
                Integer.toString(udpPort()),
                "-d",
                "--rfc3164",
                "-t",
                "fgt1",
                "date=2026-11-28 time=10:00:01 type=\"traffic\" srcip=10.1.2.3 srcport=50001 dstip=198.51.100.7 "
                        + "dstport=443 proto=6 action=\"deny\"");
        Peers.run(
                logger.toString(),
                "-n",
                "127.0.0.1",
                "-P",
                Integer.toString(syslogPort),
                "-T",
                "--rfc5424",
                "--octet-count",
                "-t",
                "asa1",
                "%ASA-4-106023: Deny tcp src inside:10.7.7.7/50003 dst outside:198.51.100.8/8081 by access-group "
                        + "\"in\" [0x0, 0x0]");
        List<JsonNode> got = sensor.alerts(a -> a.size() >= 2);
        assertThat(got)
                .extracting(a -> a.get("source.ip").asText() + " "
                        + a.get("rule.severity").asText())
                .containsExactlyInAnyOrder("10.1.2.3 high", "10.7.7.7 medium");
        assertThat(got).allSatisfy(a -> assertThat(a.get("rule.id").asText()).isEqualTo("fw.connect_back"));
    }

    @Test
    void rsyslogForwardsAFileOfFirewallLinesOverTcp() throws Exception {
        Path rsyslogd = Peers.require("rsyslogd", "rsyslog");
        Path lines = dir.resolve("fw.log");
        Files.writeString(
                lines,
                String.join(
                                "\n",
                                "Nov 28 03:00:01 pa-fw1 1,2026/11/28 03:00:01,0011C100,TRAFFIC,deny,2561,2026/11/28 03:00:01,"
                                        + "10.1.2.3,198.51.100.7,0.0.0.0,0.0.0.0,block-out,,,not-applicable,vsys1,trust,untrust,"
                                        + "ethernet1/2,,fwd,2026/11/28 03:00:01,0,1,50123,80,0,0,0x0,tcp,deny,74,74,0,1,"
                                        + "2026/11/28 03:00:01,0,any,0,1,0x0,10.0.0.0-10.255.255.255,United States,0,1,0",
                                "Nov 28 03:00:02 gw kernel: FW-DROP IN=eth1 OUT=eth0 SRC=10.4.0.5 DST=198.51.100.15 LEN=60 PROTO=TCP "
                                        + "SPT=38842 DPT=25",
                                "Nov 28 03:00:03 gw kernel: FW-ACCEPT IN=eth1 OUT=eth0 SRC=10.4.0.6 DST=192.0.2.66 LEN=60 PROTO=TCP "
                                        + "SPT=38843 DPT=443",
                                "Nov 28 03:00:04 gw kernel: FW-DROP IN=eth1 OUT=eth2 SRC=10.4.0.6 DST=10.8.0.1 LEN=60 PROTO=TCP "
                                        + "SPT=38844 DPT=445")
                        + "\n");
        Path work = Files.createDirectories(dir.resolve("rsyslog-work"));
        Path conf = dir.resolve("rsyslog.conf");
        Files.writeString(conf, """
                global(workDirectory="%s")
                module(load="imfile" mode="polling" PollingInterval="1")
                input(type="imfile" File="%s" Tag="fwfile")
                action(type="omfwd" target="127.0.0.1" port="%d" protocol="tcp"
                       TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format")
                """.formatted(work.toAbsolutePath(), lines.toAbsolutePath(), syslogPort));
        Process rs = Peers.rsyslogd(rsyslogd, conf, dir);
        try {
            // every line parsed (and so through detection) before the alerts are read: the last,
            // internal line must have had its chance to raise a wrong alert
            sensor.awaitMetrics(
                    "mamori_events_received_total{input=\"syslog\",transport=\"tcp\"} 4.0",
                    "mamori_events_parsed_total{format=\"panos\"} 1.0",
                    "mamori_events_parsed_total{format=\"netfilter\"} 3.0");
            List<JsonNode> got = sensor.alerts(a -> true);
            assertThat(got)
                    .extracting(a ->
                            a.get("rule.id").asText() + " " + a.get("source.ip").asText())
                    .as("rsyslogd output:\n" + Files.readString(dir.resolve("rsyslogd.out")))
                    .containsExactlyInAnyOrder(
                            "fw.connect_back 10.1.2.3", "fw.connect_back 10.4.0.5", "fw.c2_communication 10.4.0.6");
        } finally {
            rs.destroy();
            rs.waitFor(10, TimeUnit.SECONDS);
        }
        String metrics = sensor.get("/metrics");
        assertThat(metrics)
                .contains("mamori_events_received_total{input=\"syslog\",transport=\"tcp\"} 4.0")
                .contains("mamori_events_parsed_total{format=\"panos\"} 1.0")
                .contains("mamori_events_parsed_total{format=\"netfilter\"} 3.0");
    }
}
