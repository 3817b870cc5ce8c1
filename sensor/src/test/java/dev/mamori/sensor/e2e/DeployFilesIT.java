package dev.mamori.sensor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.sensor.Sensor;
import dev.mamori.sensor.TestAlerts;
import dev.mamori.sensor.cli.Main;
import dev.mamori.sensor.config.ConfigLoader;
import dev.mamori.sensor.ingest.LogRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files in deploy/ are checked by the real tools that will read them. */
class DeployFilesIT {

    private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    private static final Path REPO = DEPLOY.getParent();

    @TempDir
    Path dir;

    private static String run(Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Peers.Finished f = Peers.finish(pb.start(), 60, cmd[0]);
        assertThat(f.exit()).as(String.join(" ", cmd) + "\n" + f.output()).isZero();
        return f.output();
    }

    @Test
    void prometheusScrapeConfigAndAlertRulesAreValid() throws Exception {
        Path promtool = Peers.require("promtool", "prometheus");
        run(
                Map.of(),
                promtool.toString(),
                "check",
                "config",
                DEPLOY.resolve("prometheus/scrape.yml").toString());
        String rules = run(
                Map.of(),
                promtool.toString(),
                "check",
                "rules",
                DEPLOY.resolve("prometheus/alerts.yml").toString());
        assertThat(rules).contains("SUCCESS: 10 rules found");
    }

    @Test
    void rsyslogForwardingSnippetIsValid() throws Exception {
        Path rsyslogd = Peers.require("rsyslogd", "rsyslog");
        String out = run(
                Map.of(),
                rsyslogd.toString(),
                "-N1",
                "-f",
                DEPLOY.resolve("rsyslog/mamori-forward.conf").toString());
        assertThat(out).doesNotContain("error");
    }

    @Test
    void rsyslogKafkaSnippetIsValid() throws Exception {
        Path rsyslogd = Peers.require("rsyslogd", "rsyslog");
        Peers.requireFile(Path.of("/usr/lib/x86_64-linux-gnu/rsyslog/omkafka.so"), "rsyslog-kafka");
        String out = run(
                Map.of(),
                rsyslogd.toString(),
                "-N1",
                "-f",
                DEPLOY.resolve("rsyslog/mamori-kafka.conf").toString());
        assertThat(out).doesNotContain("error");
    }

    @Test
    void syslogNgForwardingSnippetIsValid() throws Exception {
        String root = System.getenv("MAMORI_SYSLOG_NG_ROOT");
        if (root == null || !Files.isExecutable(Path.of(root, "usr/sbin/syslog-ng"))) {
            String message = "syslog-ng (which conflicts with rsyslog in apt) is checked from extracted packages:"
                    + " .ci/run prepares them and sets MAMORI_SYSLOG_NG_ROOT";
            if ("1".equals(System.getenv("MAMORI_REQUIRE_PEERS"))) {
                throw new AssertionError(message);
            }
            Assumptions.abort(message);
        }
        Path r = Path.of(root);
        Map<String, String> env = Map.of(
                "LD_LIBRARY_PATH",
                r.resolve("usr/lib/syslog-ng") + ":" + r.resolve("usr/lib/x86_64-linux-gnu"),
                "SYSLOGNG_PREFIX",
                r.resolve("usr").toString());
        Path modules = r.resolve("usr/lib/syslog-ng/3.38");
        // A module that cannot load makes syslog-ng report its config keywords as syntax errors;
        // name the missing library instead.
        assertThat(unloadableLibraries(env, r.resolve("usr/sbin/syslog-ng"), modules))
                .as("libraries the extracted syslog-ng or its modules need but cannot find (extract their Debian"
                        + " packages too, as .ci/run does)")
                .isEmpty();
        run(
                env,
                r.resolve("usr/sbin/syslog-ng").toString(),
                "--syntax-only",
                "-f",
                DEPLOY.resolve("syslog-ng/mamori.conf").toString(),
                "--module-path=" + modules);
    }

    /** {@code module: library} for each library {@code ldd} reports "not found". */
    static List<String> unloadableLibraries(Map<String, String> env, Path binary, Path moduleDir) throws Exception {
        List<String> cmd =
                new ArrayList<>(List.of(Peers.require("ldd", "libc-bin").toString(), binary.toString()));
        try (var files = Files.list(moduleDir)) {
            files.filter(f -> f.toString().endsWith(".so")).sorted().forEach(f -> cmd.add(f.toString()));
        }
        String out = run(env, cmd.toArray(String[]::new));
        List<String> missing = new ArrayList<>();
        String current = binary.getFileName().toString();
        for (String line : out.split("\n")) {
            if (line.endsWith(":") && !line.startsWith("\t")) {
                current = Path.of(line.substring(0, line.length() - 1))
                        .getFileName()
                        .toString();
            } else if (line.contains("=> not found")) {
                missing.add(current + ": " + line.strip().replace(" => not found", ""));
            }
        }
        return missing;
    }

    @Test
    void squidSnippetParses() throws Exception {
        Path squid = Peers.require("squid", "squid");
        String out = run(
                Map.of(),
                squid.toString(),
                "-k",
                "parse",
                "-f",
                DEPLOY.resolve("squid/mamori.conf").toString());
        assertThat(out).doesNotContainIgnoringCase("FATAL").doesNotContain("ERROR");
    }

    @Test
    void postfixMasterCfSnippetsForBothFilterModesParse() throws Exception {
        Path postconf = Peers.require("postconf", "postfix");
        for (String mode : List.of("after-queue", "before-queue")) {
            Path conf = Files.createDirectories(dir.resolve(mode));
            Files.writeString(
                    conf.resolve("main.cf"),
                    "compatibility_level = 3.6\nmyhostname = mamori.example\n"
                            + (mode.equals("after-queue") ? "content_filter = mamori:[127.0.0.1]:10025\n" : ""));
            Files.copy(DEPLOY.resolve("postfix/" + mode + ".master.cf"), conf.resolve("master.cf"));
            String services = run(Map.of(), postconf.toString(), "-c", conf.toString(), "-M");
            assertThat(services).contains("127.0.0.1:10026 inet");
            String params = run(Map.of(), postconf.toString(), "-c", conf.toString(), "-P");
            assertThat(params).doesNotContainIgnoringCase("warning");
            if (mode.equals("before-queue")) {
                assertThat(params).contains("smtp/inet/smtpd_proxy_filter = 127.0.0.1:10025");
            } else {
                assertThat(run(Map.of(), postconf.toString(), "-c", conf.toString(), "-h", "content_filter"))
                        .contains("mamori:[127.0.0.1]:10025");
            }
        }
    }

    @Test
    void postfixHeaderChecksWarnOnTheHeadersTheMailRulesRead() throws Exception {
        Path postmap = Peers.require("postmap", "postfix");
        Files.writeString(dir.resolve("main.cf"), "compatibility_level = 3.6\n");
        String table = "regexp:" + DEPLOY.resolve("postfix/mamori_header_checks.regexp");
        assertThat(run(
                        Map.of(),
                        postmap.toString(),
                        "-c",
                        dir.toString(),
                        "-q",
                        "From: \"CEO <ceo@corp.example>\" <x@evil.example>",
                        table))
                .startsWith("WARN");
        assertThat(run(
                        Map.of(),
                        postmap.toString(),
                        "-c",
                        dir.toString(),
                        "-q",
                        "Content-Disposition: attachment; filename*=UTF-8''a.exe",
                        table))
                .startsWith("WARN");
        Process quiet = new ProcessBuilder(
                        postmap.toString(), "-c", dir.toString(), "-q", "From: alice@example.org", table)
                .start();
        assertThat(Peers.finish(quiet, 60, "postmap").exit())
                .as("no warning for a plain From")
                .isEqualTo(1);
    }

    @Test
    void systemdUnitVerifiesAndIsHardened() throws Exception {
        Path unit = DEPLOY.resolve("systemd/mamori.service");
        String text = Files.readString(unit);
        assertThat(text)
                .contains(
                        "User=mamori",
                        "NoNewPrivileges=yes",
                        "ProtectSystem=strict",
                        "ProtectHome=yes",
                        "CapabilityBoundingSet=\n",
                        "ExecReload=/bin/kill -HUP $MAINPID");
        Path analyze = Peers.require("systemd-analyze", "systemd");
        run(Map.of(), analyze.toString(), "verify", unit.toString());
    }

    @Test
    void containerFileCopiesWhatExistsRunsUnprivilegedAndItsConfigValidates() throws Exception {
        String file = Files.readString(DEPLOY.resolve("container/Containerfile"));
        Matcher copy = Pattern.compile("(?m)^COPY (\\S+) ").matcher(file);
        int copies = 0;
        while (copy.find()) {
            assertThat(REPO.resolve(copy.group(1).replace("sensor/target/mamori.jar", "sensor/pom.xml")))
                    .as(copy.group(1))
                    .exists();
            copies++;
        }
        assertThat(copies).isEqualTo(3);
        assertThat(file).containsPattern("(?m)^USER mamori$");
        // the image's layout: config next to intel/
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.copy(DEPLOY.resolve("container/mamori.yaml"), etc.resolve("mamori.yaml"));
        Files.createDirectories(etc.resolve("intel"));
        for (String list : List.of("indicators.txt", "allowed-user-agents.txt")) {
            Files.copy(REPO.resolve("config/intel/" + list), etc.resolve("intel/" + list));
        }
        StringWriter err = new StringWriter();
        int code = Main.execute(
                new PrintWriter(new StringWriter()),
                new PrintWriter(err),
                "check-config",
                "--config",
                etc.resolve("mamori.yaml").toString());
        assertThat(code).as(err.toString()).isZero();
    }

    @Test
    void grafanaDashboardParsesAndUsesOnlyMetricsTheSensorExports() throws Exception {
        JsonNode dash = new ObjectMapper()
                .readTree(DEPLOY.resolve("grafana/mamori-dashboard.json").toFile());
        assertThat(dash.get("panels").size()).isGreaterThanOrEqualTo(10);
        Set<String> used = new TreeSet<>();
        Pattern name = Pattern.compile("\\b(mamori_[a-z_]+|jvm_[a-z_]+)");
        for (JsonNode panel : dash.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                Matcher m = name.matcher(target.get("expr").asText());
                while (m.find()) {
                    used.add(m.group(1).replaceAll("_(bucket|sum|count)$", ""));
                }
            }
        }
        used.add(dash.at("/templating/list/0/query/query").asText().replaceAll(".*\\((mamori_[a-z_]+),.*", "$1"));

        Files.writeString(dir.resolve("ioc.txt"), "192.0.2.66\n");
        Files.writeString(dir.resolve("ua.txt"), "curl/.*\n");
        Files.writeString(dir.resolve("mamori.yaml"), """
                site: {sources: [{name: fw, host: fw, kind: firewall}]}
                inputs: {http: {port: 0}, syslog: {udp_port: 0, tcp_port: 0}, icap: {port: 0}, smtp: {port: 0}}
                intel: {indicator_files: [ioc.txt], allowed_user_agents_file: ua.txt}
                outputs:
                  file: {path: alerts.jsonl}
                  syslog: {host: 127.0.0.1, port: 9, protocol: tcp, spool: {path: spool}}
                """);
        Sensor sensor = Sensor.start(ConfigLoader.load(dir.resolve("mamori.yaml")));
        try {
            sensor.alerts().emit(TestAlerts.logCleared("dc01", Severity.HIGH, Instant.now()));
            sensor.ingest()
                    .router()
                    .route(new LogRecord(
                            "kernel: DROP IN=eth0 OUT=eth1 SRC=10.0.0.1 DST=192.0.2.1"
                                    + " LEN=40 PROTO=TCP SPT=1 DPT=443",
                            "fw",
                            null,
                            ObserverInput.SYSLOG));
            sensor.ingest().router().route(new LogRecord("garbage", "fw", null, ObserverInput.SYSLOG));
            sensor.reload("test").join();
            String scrape = sensor.metrics().scrape();
            Map<String, Boolean> missing = new HashMap<>();
            for (String metric : used) {
                if (!Pattern.compile("(?m)^" + metric + "(_bucket|_sum|_count)?[{ ]")
                        .matcher(scrape)
                        .find()) {
                    missing.put(metric, true);
                }
            }
            assertThat(missing.keySet())
                    .as("metrics the dashboard uses but the sensor does not export")
                    .isEmpty();
        } finally {
            sensor.stop();
        }
    }

    /** The events the ad.* rules read; each forwarder configuration must collect all of them. */
    private static final List<Integer> AD_EVENTS =
            List.of(104, 106, 1102, 4624, 4625, 4634, 4672, 4698, 4720, 4728, 4732, 4756, 4768, 4769, 4771, 4776);

    @Test
    void windowsForwarderConfigurationsCollectEveryEventTheAdRulesReadAndTheAuditPolicyNamesEachRule()
            throws Exception {
        JsonNode beat = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(DEPLOY.resolve("windows/winlogbeat.yml").toFile());
        Set<Integer> collected = new TreeSet<>();
        for (JsonNode log : beat.get("winlogbeat.event_logs")) {
            for (String id : log.get("event_id").asText().split(",")) {
                collected.add(Integer.parseInt(id.strip()));
            }
        }
        assertThat(collected).containsExactlyInAnyOrderElementsOf(AD_EVENTS);
        // to the topic the example inputs.kafka consumes, keyed so one server's events stay in order
        assertThat(beat.path("output.kafka").path("topic").asText()).isEqualTo("mamori.logs");
        assertThat(beat.path("output.kafka").path("key").asText()).isEqualTo("%{[host.name]}");
        Matcher ids = Pattern.compile("EventID=(\\d+)").matcher(Files.readString(DEPLOY.resolve("windows/nxlog.conf")));
        Set<Integer> queried = new TreeSet<>();
        while (ids.find()) {
            queried.add(Integer.parseInt(ids.group(1)));
        }
        assertThat(queried).as("nxlog.conf's query").containsExactlyInAnyOrderElementsOf(AD_EVENTS);
        String policy = Files.readString(DEPLOY.resolve("windows/audit-policy.cmd"));
        for (String rule : dev.mamori.detectors.registry.Rules.ids()) {
            if (rule.startsWith("ad.")) {
                assertThat(policy)
                        .as("audit-policy.cmd says what %s needs", rule)
                        .contains(rule);
            }
        }
        assertThat(policy).contains("auditpol /set /subcategory:\"Kerberos Service Ticket Operations\"");
    }
}
