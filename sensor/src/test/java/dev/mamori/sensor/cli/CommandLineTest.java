package dev.mamori.sensor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process: exit codes, and what goes to stdout and stderr. */
class CommandLineTest {

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void versionAndHelp() {
        Result v = run("--version");
        assertThat(v.code()).isZero();
        assertThat(v.out()).startsWith("mamori ");
        Result h = run("--help");
        assertThat(h.code()).isZero();
        assertThat(h.out()).contains("run", "analyze", "check-config");
    }

    @Test
    void usageErrorsExit2() {
        assertThat(run().code()).isEqualTo(2);
        assertThat(run("frobnicate").code()).isEqualTo(2);
        assertThat(run("analyze").code()).as("analyze needs a file").isEqualTo(2);
        assertThat(run("run", "--bogus").code()).isEqualTo(2);
    }

    @Test
    void checkConfigPrintsTheEffectiveEmbeddedDefault() {
        Result r = run("check-config");
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .startsWith("# effective configuration of embedded:config/mamori.yaml")
                .contains("internal_networks:", "proxy.exfiltration:", "threshold_bytes: 100MiB");
        assertThat(r.err()).contains("configuration OK");
    }

    @Test
    void checkConfigOnABrokenFileListsEveryErrorWithItsKeyPathAndExits2() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                inputs:
                  smtp: {port: 70000}
                  http: {prot: 1}
                intel: {indicator_files: [missing.txt], allowed_user_agents_file: missing-too.txt}
                """);
        Result r = run("check-config", "--config", bad.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .contains(
                        "inputs.smtp.port: must be 0..65535, was 70000",
                        "inputs.http.prot: unknown key (did you mean 'port'?)",
                        "intel.indicator_files[0]: file not found or not readable: ",
                        "intel.allowed_user_agents_file: file not found or not readable: ");
    }

    @Test
    void aSmallFileUsesTheEmbeddedListsAndSaysSo() throws Exception {
        Path small = dir.resolve("small.yaml");
        Files.writeString(small, """
                detectors:
                  ad.auth_failure_burst: {count: 5, window: 5m}
                """);
        Result r = run("check-config", "--config", small.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains(
                        "indicator_files:\n  - embedded:config/intel/indicators.txt",
                        "allowed_user_agents_file: embedded:config/intel/allowed-user-agents.txt",
                        "count: 5");
        // the effective output is itself a valid configuration that reads the same lists
        Path effective = dir.resolve("effective.yaml");
        Files.writeString(effective, r.out());
        Result again = run("check-config", "--config", effective.toString());
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("embedded:config/intel/indicators.txt");
        // and analyze runs on it with those lists: 192.0.2.66 is in the embedded indicator list
        Path log = dir.resolve("fw.log");
        Files.writeString(
                log,
                "kernel: ACCEPT IN=eth0 OUT=eth1 SRC=10.0.0.5 DST=192.0.2.66 LEN=40 PROTO=TCP SPT=5555" + " DPT=443\n");
        Result analyzed = run("analyze", "--config", small.toString(), log.toString());
        assertThat(analyzed.code()).as(analyzed.err()).isZero();
        assertThat(analyzed.out()).contains("\"rule.id\":\"fw.c2_communication\"");
    }

    @Test
    void userAgentInventoryCountsRequestsAndClientsAndWritesAStartingAllowList() throws Exception {
        Path log = dir.resolve("access.log");
        String chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0.0.0 Safari/537.36";
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            lines.append("<13>Nov 28 10:00:00 squid squid[1]: 17958361" + (10 + i) + ".725 158 10.1.2." + (i % 3)
                    + " TCP_MISS/200 768 GET http://a.example/" + i + " - HIER_DIRECT/192.0.2.30 text/html 300 \""
                    + chrome + "\"\n");
        }
        lines.append("1795836120.725 158 10.1.2.9 TCP_MISS/200 768 POST http://a.example/up - HIER_DIRECT/192.0.2.30"
                + " text/html 300 \"curl/8.5.0 (x86_64) [c] $x\"\n");
        lines.append("1795836127.725    158 10.1.2.3 TCP_TUNNEL/200 28854 CONNECT www.example.com:8443 -"
                + " HIER_DIRECT/198.51.100.20 -\n");
        lines.append("kernel: DROP IN=eth0 OUT=eth1 SRC=10.0.0.1 DST=192.0.2.1 PROTO=TCP SPT=1 DPT=443\n");
        Files.writeString(log, lines);
        Path allow = dir.resolve("allowed.txt");
        Result r = run("analyze", "--inventory", "user-agents", "--allow-list", allow.toString(), log.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).containsExactly("5\t3\t" + chrome, "1\t1\tcurl/8.5.0 (x86_64) [c] $x");
        assertThat(r.err())
                .contains("7 proxy request(s), 2 user agent(s); 1 request(s) from formats without a user agent");
        List<java.util.regex.Pattern> patterns = Files.readAllLines(allow).stream()
                .filter(l -> !l.startsWith("#"))
                .map(java.util.regex.Pattern::compile)
                .toList();
        assertThat(patterns).hasSize(2);
        assertThat(patterns.get(1).matcher("curl/8.5.0 (x86_64) [c] $x").find()).isTrue();
        assertThat(patterns.get(1).matcher("curl/8.5.0 (x86_64) [c] $xy").find())
                .as("anchored")
                .isFalse();
        assertThat(run("analyze", "--inventory", "hosts", log.toString()).code())
                .isEqualTo(2);
    }

    @Test
    void aSitesOwnSquidLogformatIsReadAndItsErrorsNamed() throws Exception {
        Path config = dir.resolve("squid.yaml");
        Files.writeString(config, """
                formats:
                  squid:
                    logformats:
                      - '%ts.%03tu %6tr %>a %>p %Ss/%03>Hs %<st %>st %rm %ru %rv %[un %Sh/%<a %mt "%{User-Agent}>h"'
                intel: {allowed_user_agents_file: ua.txt}
                """);
        Files.writeString(dir.resolve("ua.txt"), "^Mozilla/\n");
        Path log = dir.resolve("ext.log");
        Files.writeString(
                log,
                "1795836127.725    158 10.1.2.3 51234 TCP_MISS/200 5120 734 GET http://x.example/"
                        + " HTTP/1.1 - HIER_DIRECT/192.0.2.34 text/html \"EvilBot/6.6\"\n");
        Result r = run("analyze", "--config", config.toString(), log.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("1 recognised");
        assertThat(r.out()).contains("\"rule.id\":\"proxy.unknown_user_agent\"").contains("EvilBot/6.6");
        Files.writeString(config, "formats: {squid: {logformats: ['%ts %>a %rm %ru %qq']}}\n");
        Result bad = run("check-config", "--config", config.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("formats.squid.logformats[0]: unknown format code %qq");
    }

    @Test
    void runWithABrokenConfigExits2() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "inputs: {http: {port: 99999}}\n");
        Result r = run("run", "--config", bad.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("inputs.http.port: must be 0..65535, was 99999");
    }

    @Test
    void analyzeCountsLinesAndReportsUnreadableFiles() throws Exception {
        Path log = dir.resolve("misc.log");
        Files.writeString(log, "first line\n\nsecond line\r\nthird\n");
        Result r = run("analyze", log.toString());
        assertThat(r.code()).isZero();
        assertThat(r.err())
                .contains("analyze: 1 file(s), 4 line(s): 0 recognised, 0 malformed, 3 not recognised," + " 1 blank");
        Result missing = run("analyze", log.toString(), dir.resolve("nope.log").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("nope.log: no such file").contains("analyze: 1 file(s), 4 line(s)");
    }

    @Test
    void analyzeMixedFirewallLinesPrintsAlertsAndTheSummary() throws Exception {
        Path log = dir.resolve("fw.log");
        Files.writeString(
                log,
                String.join(
                        "\n",
                        // denied outbound web: alert (high), then 2 repeats folded into one follow-up
                        "<164>Nov 28 10:00:01 fgt1 date=2026-11-28 time=10:00:01 type=\"traffic\" srcip=10.1.2.3 "
                                + "srcport=50001 dstip=198.51.100.7 dstport=443 proto=6 action=\"deny\"",
                        "<164>Nov 28 10:00:02 fgt1 date=2026-11-28 time=10:00:02 type=\"traffic\" srcip=10.1.2.3 "
                                + "srcport=50002 dstip=198.51.100.7 dstport=443 proto=6 action=\"deny\"",
                        "Nov 28 10:00:03 asa1 : %ASA-4-106023: Deny tcp src inside:10.1.2.3/50003 dst outside:198.51.100.8/443 "
                                + "by access-group \"in\" [0x0, 0x0]",
                        // allowed outbound web, internal deny, inbound deny: no alert
                        "Nov 28 10:00:04 kernel: ACCEPT IN=eth1 OUT=eth0 SRC=10.1.2.4 DST=198.51.100.9 LEN=60 PROTO=TCP SPT=1 DPT=443",
                        "Nov 28 10:00:05 kernel: DROP IN=eth1 OUT=eth2 SRC=10.1.2.4 DST=10.9.9.9 LEN=60 PROTO=TCP SPT=1 DPT=445",
                        "Nov 28 10:00:06 kernel: DROP IN=eth0 OUT=eth1 SRC=198.51.100.9 DST=10.1.2.4 LEN=60 PROTO=TCP SPT=1 DPT=22",
                        // allowed traffic to a listed C&C address: critical
                        "CEF:0|Vendor|FW|1|100|Allowed|3|act=allow src=10.1.2.5 spt=40000 dst=192.0.2.66 dpt=8443 proto=TCP",
                        // a PAN-OS record cut short: malformed, not silently dropped
                        "1,2026/11/28 10:00:08,001,TRAFFIC,end,1,x,10.1.2.3",
                        "not a firewall line"));
        Path ioc = dir.resolve("ioc.txt");
        Files.writeString(ioc, "192.0.2.66\n");
        Files.writeString(dir.resolve("ua.txt"), "curl/.*\n");
        Path config = dir.resolve("mamori.yaml");
        Files.writeString(config, "intel: {indicator_files: [ioc.txt], allowed_user_agents_file: ua.txt}\n");

        Result r = run("analyze", "--summary", "--config", config.toString(), log.toString());
        assertThat(r.code()).isZero();
        List<JsonNode> alerts = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            alerts.add(new ObjectMapper().readTree(line));
        }
        assertThat(alerts)
                .extracting(a ->
                        a.get("rule.id").asText() + "/" + a.get("rule.severity").asText() + "/"
                                + a.get("event.count").asLong())
                .containsExactlyInAnyOrder(
                        "fw.connect_back/high/1", "fw.connect_back/high/2", "fw.c2_communication/critical/1");
        assertThat(alerts)
                .allSatisfy(a -> assertThat(a.get("observer.input").asText()).isEqualTo("file"));
        assertThat(r.err())
                .contains("9 line(s): 7 recognised, 1 malformed, 1 not recognised")
                .contains("3 alert(s) {fw.c2_communication=1, fw.connect_back=2}")
                .contains("firewall summary (periodic review)")
                .contains("refused outbound by port: 443/tcp 3");
    }

    @Test
    void analyzeAnXmlExportWithHundredsOfEvents() throws Exception {
        StringBuilder xml =
                new StringBuilder("<?xml version=\"1.1\" encoding=\"utf-8\" standalone=\"no\" ?>\n<Events>\n");
        for (int i = 0; i < 300; i++) {
            // ordinary successful network logons from workstations: no alert
            xml.append(event(
                    4624,
                    "2026-11-27 02:00:" + String.format("%02d", i % 60) + ".000000",
                    "alice",
                    "CORP",
                    "10.1.0." + (i % 200),
                    "<Data Name=\"LogonType\">3</Data>\n"));
        }
        for (int i = 0; i < 12; i++) {
            xml.append(event(
                    4625,
                    "2026-11-27 03:00:" + String.format("%02d", i) + ".000000",
                    "bob",
                    "CORP",
                    "10.9.9.9",
                    "<Data Name=\"Status\">0xc000006d</Data>\n<Data Name=\"LogonType\">3</Data>\n"));
        }
        xml.append("<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
                + "<Provider Name=\"Microsoft-Windows-Eventlog\"></Provider>\n<EventID Qualifiers=\"\">1102</EventID>\n"
                + "<TimeCreated SystemTime=\"2026-11-27 04:00:00.000000\"></TimeCreated>\n<Channel>Security</Channel>\n"
                + "<Computer>DC01.corp.example.com</Computer>\n</System>\n<UserData><LogFileCleared "
                + "xmlns=\"http://manifests.microsoft.com/win/2004/08/windows/eventlog\"><SubjectUserName>mallory"
                + "</SubjectUserName>\n<SubjectDomainName>CORP</SubjectDomainName>\n</LogFileCleared>\n</UserData>\n"
                + "</Event>\n");
        xml.append("</Events>\n");
        Path export = dir.resolve("security.xml");
        Files.writeString(export, xml);
        Files.writeString(dir.resolve("ioc.txt"), "192.0.2.66\n");
        Files.writeString(dir.resolve("ua.txt"), "curl/.*\n");
        Path config = dir.resolve("mamori.yaml");
        Files.writeString(config, "intel: {indicator_files: [ioc.txt], allowed_user_agents_file: ua.txt}\n");

        Result r = run("analyze", "--config", config.toString(), export.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> rules = r.out()
                .lines()
                .map(l -> {
                    try {
                        return new ObjectMapper().readTree(l).get("rule.id").asText();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
        assertThat(rules).containsExactlyInAnyOrder("ad.auth_failure_burst", "ad.auth_failure_burst", "ad.log_cleared");
        assertThat(r.err()).contains("313 recognised, 0 malformed, 0 not recognised");
    }

    private static String event(int id, String time, String user, String domain, String ip, String extra) {
        return "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
                + "<Provider Name=\"Microsoft-Windows-Security-Auditing\" Guid=\"{54849625}\"></Provider>\n"
                + "<EventID Qualifiers=\"\">" + id + "</EventID>\n"
                + "<TimeCreated SystemTime=\"" + time + "\"></TimeCreated>\n<Channel>Security</Channel>\n"
                + "<Computer>DC01.corp.example.com</Computer>\n</System>\n<EventData>"
                + "<Data Name=\"TargetUserName\">" + user + "</Data>\n<Data Name=\"TargetDomainName\">" + domain
                + "</Data>\n<Data Name=\"IpAddress\">" + ip + "</Data>\n" + extra + "</EventData>\n</Event>\n";
    }

    @Test
    void analyzePostfixHeaderChecksWarnings() throws Exception {
        Path log = dir.resolve("maillog");
        Files.writeString(
                log,
                "Nov 28 10:00:00 mx postfix/cleanup[1234]: 4F3A1: warning: header From: \"CEO"
                        + " <ceo@corp.example.com>\" <x@evil.example> from mx[198.51.100.9]; from=<x@evil.example>"
                        + " to=<bob@corp.example.com> proto=ESMTP helo=<mx>\n"
                        + "Nov 28 10:00:01 mx postfix/cleanup[1234]: 4F3A2: warning: header Content-Type: application/zip;"
                        + " name=\"photos.zip\" from mx[198.51.100.9]; from=<x@evil.example> to=<bob@corp.example.com>\n");
        Result r = run("analyze", log.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .contains("\"rule.id\":\"mail.display_name_spoof\"")
                .contains("\"rule.severity\":\"high\"")
                .doesNotContain("mail.executable_attachment");
        assertThat(r.err()).contains("2 recognised");
    }
}
