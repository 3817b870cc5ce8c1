package dev.mamori.sensor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analyst's day over real syslog: rsyslog relays four devices' log files to Mamori, each under
 * its own HOSTNAME, as a site's relay does. Of the three network devices one stops and one has a
 * clock two hours ahead; one internal host shows up in the proxy and the firewall logs, and its
 * user's logons in the domain controller's. Then the daily review is rendered
 * by a real browser (headless Chromium) and the sensor is restarted to show that sources,
 * incidents and the review survive it.
 */
class AnalystsDayPeersIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter FORTI_DATE =
            DateTimeFormatter.ofPattern("'date='yyyy-MM-dd 'time='HH:mm:ss").withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;

    private SensorProcess sensor;
    private Process rsyslog;

    @AfterEach
    void stop() throws Exception {
        if (rsyslog != null) {
            rsyslog.destroy();
            rsyslog.waitFor(10, TimeUnit.SECONDS);
        }
        if (sensor != null) {
            sensor.close();
        }
    }

    private static String fortigate(Instant at, String src, String dst, int port, String action) {
        // FortiOS 6.2 and later put the event's own time in eventtime; the date and time fields are local
        return FORTI_DATE.format(at) + " eventtime=" + at.getEpochSecond() + " type=\"traffic\" srcip=" + src
                + " srcport=50001 dstip=" + dst + " dstport=" + port + " proto=6 action=\"" + action + "\"";
    }

    private static String squid(Instant at, String url, String agent) {
        return at.getEpochSecond() + ".000    100 10.1.2.3 TCP_MISS/200 800 GET " + url
                + " - HIER_DIRECT/198.51.100.20 text/html 300 \"" + agent + "\"";
    }

    /** Winlogbeat's JSON, as its Kafka or Logstash output writes it and a relay forwards it. */
    private static String winlogbeat(Instant at, int id, String user, String ip) {
        return "{\"@timestamp\":\"" + at + "\",\"winlog\":{\"event_id\":" + id
                + ",\"channel\":\"Security\",\"computer_name\":\"DC01.corp.example.com\","
                + "\"provider_name\":\"Microsoft-Windows-Security-Auditing\",\"record_id\":1,\"event_data\":{"
                + "\"TargetUserName\":\"" + user + "\",\"TargetDomainName\":\"CORP\",\"IpAddress\":\"" + ip
                + "\",\"LogonType\":\"3\",\"Status\":\"" + (id == 4625 ? "0xc000006d" : "0x0") + "\"}}}";
    }

    private static void append(Path file, String line) throws Exception {
        Files.writeString(
                file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private SensorProcess startSensor(Path config) throws Exception {
        SensorProcess s = SensorProcess.start(dir, "run", "--config", config.toString());
        s.awaitListening("http", 60);
        s.awaitListening("syslog", "tcp", 60);
        return s;
    }

    @Test
    void silentSourceSkewedClockOneRaisedIncidentAndAReviewThatSurvivesARestart() throws Exception {
        Path rsyslogd = Peers.require("rsyslogd", "rsyslog");
        Path chromium = Peers.require("chromium", "chromium");
        int syslogPort = MailPeersIT.freePort();
        Files.writeString(dir.resolve("ioc.txt"), "c2.example.net\n");
        Files.writeString(dir.resolve("ua.txt"), "^Mozilla/\n");
        Path config = dir.resolve("mamori.yaml");
        Files.writeString(config, """
                site:
                  timezone: UTC
                  max_clock_skew: 5m
                  sources:
                    - {name: fw-hq, host: fw-hq, kind: firewall, max_silence: 6s}
                    - {name: squid-hq, host: squid-hq, kind: proxy, max_silence: 6s}
                    - {name: fw-branch, host: fw-branch, kind: firewall, max_silence: 6s}
                    - {name: dc01, host: DC01.corp.example.com, kind: windows, max_silence: 1h}
                inputs:
                  http: {port: 0}
                  syslog: {udp_port: -1, tcp_port: %d}
                intel: {indicator_files: [ioc.txt], allowed_user_agents_file: ua.txt}
                outputs: {file: {path: var/alerts.jsonl}}
                sensor: {state_dir: var/state}
                """.formatted(syslogPort));
        sensor = startSensor(config);

        Path fwHq = dir.resolve("fw-hq.log");
        Path squid = dir.resolve("squid.log");
        Path fwBranch = dir.resolve("fw-branch.log");
        Instant now = Instant.now();
        append(fwHq, fortigate(now, "10.1.2.3", "198.51.100.7", 443, "deny"));
        append(squid, squid(now, "http://c2.example.net/gate.php", "Mozilla/5.0"));
        append(fwBranch, fortigate(now.plusSeconds(2 * 3600), "10.2.0.5", "198.51.100.9", 443, "accept"));
        Path dc = dir.resolve("dc01.log");
        append(dc, winlogbeat(now, 4625, "alice", "10.1.2.3"));
        append(dc, winlogbeat(now, 4624, "alice", "10.1.2.3"));
        startRsyslog(rsyslogd, syslogPort, fwHq, squid, fwBranch, dc);

        // the head office keeps talking (traffic that raises nothing); the branch falls silent
        List<JsonNode> alerts = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && alerts.stream().noneMatch(a -> rule(a).equals("sensor.source_silent"))) {
            Instant t = Instant.now();
            append(fwHq, fortigate(t, "10.1.2.8", "198.51.100.7", 443, "accept"));
            append(squid, squid(t, "http://www.example.com/", "Mozilla/5.0"));
            Thread.sleep(500);
            alerts = sensor.alerts(got -> true);
        }
        for (int i = 0; i < 4; i++) { // a few more seconds: a wrong silence for the others would show now
            Instant t = Instant.now();
            append(fwHq, fortigate(t, "10.1.2.8", "198.51.100.7", 443, "accept"));
            append(squid, squid(t, "http://www.example.com/", "Mozilla/5.0"));
            Thread.sleep(500);
        }
        // everything written has arrived: the figures below are final
        long hqLines = Files.readAllLines(fwHq).size();
        long squidLines = Files.readAllLines(squid).size();
        sensor.awaitMetrics(
                "mamori_source_events_total{source=\"fw-hq\"} " + hqLines + ".0",
                "mamori_source_events_total{source=\"squid-hq\"} " + squidLines + ".0",
                "mamori_source_events_total{source=\"dc01\"} 2.0");
        alerts = sensor.alerts(got -> true);
        String rsyslogOut = Files.readString(dir.resolve("rsyslogd.out"));
        assertThat(alerts)
                .as("rsyslogd output:\n" + rsyslogOut)
                .filteredOn(a -> rule(a).equals("sensor.source_silent"))
                .extracting(a -> a.get("host.name").asText())
                .containsExactly("fw-branch");
        assertThat(alerts)
                .filteredOn(a -> rule(a).equals("sensor.clock_skew"))
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.get("host.name").asText()).isEqualTo("fw-branch");
                    assertThat(a.get("message").asText()).contains("2 h ahead");
                });

        // one internal host in the proxy and the firewall logs: one incident, raised
        List<JsonNode> host = alerts.stream()
                .filter(a -> a.has("source.ip") && a.get("source.ip").asText().equals("10.1.2.3"))
                .toList();
        assertThat(host).extracting(AnalystsDayPeersIT::rule).contains("fw.connect_back", "proxy.c2_access");
        String incident = host.get(0).get("incident.id").asText();
        assertThat(host)
                .allSatisfy(a -> assertThat(a.get("incident.id").asText()).isEqualTo(incident));
        // the first alert from a second kind of evidence names the incident; which kind arrives
        // first (and whether a second proxy alert comes before the firewall's) is rsyslog's order
        String firstArea = area(host.get(0));
        JsonNode agreeing = host.stream()
                .filter(a -> !area(a).equals(firstArea))
                .findFirst()
                .orElseThrow();
        assertThat(agreeing.get("message").asText()).contains("[incident " + incident);
        JsonNode incidents = JSON.readTree(sensor.get("/api/incidents"));
        assertThat(incidents).hasSize(1);
        JsonNode inc = incidents.get(0);
        assertThat(inc.get("id").asText()).isEqualTo(incident);
        assertThat(inc.get("entity").get("type").asText()).isEqualTo("host");
        assertThat(inc.get("entity").get("value").asText()).isEqualTo("10.1.2.3");
        assertThat(inc.get("raised").asBoolean()).isTrue();
        assertThat(inc.get("severity").asText()).isEqualTo("critical");
        assertThat(texts(inc.get("rules"))).contains("fw.connect_back", "proxy.c2_access");
        assertThat(sensor.get("/api/alerts?incident.id=" + incident).lines().toList())
                .hasSize(host.size());
        assertThat(sensor.get("/api/alerts?source.ip=10.1.2.3").lines().toList())
                .hasSize(host.size())
                .allSatisfy(l -> assertThat(l).contains("\"source.ip\":\"10.1.2.3\""));

        JsonNode sources = JSON.readTree(sensor.get("/api/sources"));
        assertThat(StreamSupport.stream(sources.spliterator(), false)
                        .filter(s -> s.get("silent").asBoolean())
                        .map(s -> s.get("name").asText()))
                .containsExactly("fw-branch");
        JsonNode hq = find(sources, "fw-hq");
        long hqEvents = hq.get("events").asLong();
        assertThat(hqEvents).isEqualTo(hqLines);
        assertThat(hq.get("formats").get("fortigate").asLong()).isEqualTo(hqEvents);
        assertThat(find(sources, "fw-branch").get("clock_skew_seconds").asLong())
                .isBetween(7000L, 7300L);

        // the daily review, rendered by a real browser
        String daily = sensor.get("/reports/daily");
        Path page = dir.resolve("daily.html");
        Files.writeString(page, daily);
        String dom = Peers.run(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--dump-dom",
                page.toUri().toString());
        assertThat(dom)
                .contains("Daily review", "Internal hosts refused on the way out", "Top destinations")
                .contains("c2.example.net", "10.1.2.3", "fw.connect_back", incident, "alice");
        for (String section : List.of("firewall", "proxy", "auth", "alerts")) {
            String body = dom.substring(dom.indexOf("<section id=\"" + section + "\""));
            assertThat(body.substring(0, body.indexOf("</section>")))
                    .as(section)
                    .contains("<svg");
        }
        Path png = Path.of("target", "e2e", "daily-review.png").toAbsolutePath();
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);
        Peers.run(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=1200,2600",
                "--screenshot=" + png,
                page.toUri().toString());
        assertThat(Files.size(png))
                .as("a picture of the page, to look at: " + png)
                .isGreaterThan(20_000);

        // a restart keeps the sources, the incident and the day's review
        rsyslog.destroy();
        rsyslog.waitFor(10, TimeUnit.SECONDS);
        rsyslog = null;
        sensor.sigterm();
        assertThat(sensor.waitForExit(30)).isZero();
        sensor = startSensor(config);
        JsonNode after = JSON.readTree(sensor.get("/api/sources"));
        assertThat(find(after, "fw-hq").get("events").asLong()).isEqualTo(hqEvents);
        assertThat(find(after, "fw-hq").get("last_seen").asText())
                .isEqualTo(hq.get("last_seen").asText());
        assertThat(JSON.readTree(sensor.get("/api/incidents")).get(0).get("id").asText())
                .isEqualTo(incident);
        String again = sensor.get("/reports/daily");
        assertThat(again).contains("c2.example.net", incident);
        assertThat(cardValue(again)).isEqualTo(cardValue(daily));
    }

    private void startRsyslog(Path rsyslogd, int port, Path fwHq, Path squid, Path fwBranch, Path dc) throws Exception {
        Path work = Files.createDirectories(dir.resolve("rsyslog-work"));
        StringBuilder conf = new StringBuilder();
        conf.append("global(workDirectory=\"").append(work.toAbsolutePath()).append("\")\n");
        conf.append("module(load=\"imfile\" mode=\"polling\" PollingInterval=\"1\")\n");
        String[][] devices = {
            {"fw-hq", fwHq.toString()},
            {"squid-hq", squid.toString()},
            {"fw-branch", fwBranch.toString()},
            {"dc01", dc.toString()}
        };
        for (String[] d : devices) {
            String name = d[0].replace("-", "_");
            // a relay names each device; the forward format is RSYSLOG_ForwardFormat with its HOSTNAME
            conf.append("template(name=\"")
                    .append(name)
                    .append("\" type=\"string\" string=\"<%PRI%>")
                    .append("%TIMESTAMP:::date-rfc3339% ")
                    .append(d[0])
                    .append(" %syslogtag:1:32%%msg:::sp-if-no-1st-sp%%msg%\")\n");
            conf.append("ruleset(name=\"").append(name).append("\") {\n");
            conf.append("  action(type=\"omfwd\" target=\"127.0.0.1\" port=\"")
                    .append(port)
                    .append("\" protocol=\"tcp\" template=\"")
                    .append(name)
                    .append("\" action.resumeInterval=\"1\")\n");
            conf.append("}\n");
            conf.append("input(type=\"imfile\" File=\"")
                    .append(d[1])
                    .append("\" Tag=\"")
                    .append(d[0])
                    .append(":\" ruleset=\"")
                    .append(name)
                    .append("\")\n");
        }
        Path file = dir.resolve("rsyslog.conf");
        Files.writeString(file, conf);
        rsyslog = new ProcessBuilder(
                        rsyslogd.toString(),
                        "-n",
                        "-f",
                        file.toString(),
                        "-i",
                        dir.resolve("rsyslogd.pid").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("rsyslogd.out").toFile())
                .start();
    }

    private static String rule(JsonNode alert) {
        return alert.get("rule.id").asText();
    }

    /** The rule's area (fw, proxy, ad): its kind of evidence. */
    private static String area(JsonNode alert) {
        return rule(alert).substring(0, rule(alert).indexOf('.'));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode find(JsonNode sources, String name) {
        for (JsonNode s : sources) {
            if (s.get("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no source " + name + " in " + sources);
    }

    /** The first headline figure of a review page (firewall events). */
    private static String cardValue(String html) {
        int at = html.indexOf("<div class=\"value\">") + "<div class=\"value\">".length();
        return html.substring(at, html.indexOf('<', at));
    }
}
