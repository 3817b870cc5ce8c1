package dev.mamori.sensor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mamori.detectors.alert.Language;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.registry.Rules;
import dev.mamori.detectors.rule.OptionSpec;
import dev.mamori.detectors.rule.RuleSpec;
import dev.mamori.detectors.site.ExpectedSource;
import dev.mamori.protocols.transport.LoopSizes;
import dev.mamori.protocols.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private MamoriConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "test.yaml", new ConfigBase.FileBase(dir));
    }

    private List<String> errors(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).toList();
        }
        throw new AssertionError("expected configuration errors");
    }

    private void lists() throws Exception {
        Files.createDirectories(dir.resolve("intel"));
        Files.writeString(dir.resolve("intel/indicators.txt"), "192.0.2.1\n");
        Files.writeString(dir.resolve("intel/allowed-user-agents.txt"), "curl/.*\n");
    }

    @Test
    void embeddedDefaultLoadsWithTheDesignContractValues() throws Exception {
        MamoriConfig c = ConfigLoader.loadEmbedded();
        assertThat(c.source()).isEqualTo("embedded:config/mamori.yaml");
        assertThat(c.site().internalNetworks().entries())
                .containsExactly("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");
        assertThat(c.site().externalZones()).containsExactlyInAnyOrder("untrust", "outside", "wan");
        assertThat(c.site().timezone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
        assertThat(c.site().businessHours().start()).isEqualTo(LocalTime.of(8, 0));
        assertThat(c.site().adDomains())
                .singleElement()
                .satisfies(d -> assertThat(d.fqdn()).isEqualTo("corp.example.com"));
        assertThat(c.site().language()).isEqualTo(Language.EN);
        assertThat(c.inputs().syslog().udpPort()).isEqualTo(5514);
        assertThat(c.inputs().smtp().nextHop()).isEqualTo("127.0.0.1:10026");
        assertThat(c.inputs().smtp().action()).isEqualTo("tag");
        assertThat(c.inputs().icap().port()).isEqualTo(1344);
        assertThat(c.inputs().http().port()).isEqualTo(9464);
        assertThat(c.intel().indicatorFiles())
                .singleElement()
                .satisfies(r -> assertThat(r.resource().describe()).isEqualTo("embedded:config/intel/indicators.txt"));
        assertThat(c.intel().indicatorFiles().get(0).resource().exists()).isTrue();
        assertThat(c.intel().indicatorFiles().get(0).format()).isEqualTo("plain");
        assertThat(c.outputs().file().path())
                .isEqualTo(Path.of("var/alerts.jsonl").toAbsolutePath());
        assertThat(c.outputs().file().maxSize()).isEqualTo(100L << 20);
        assertThat(c.detector("proxy.c2_daily_access").integer("days")).isEqualTo(3);
        assertThat(c.detector("proxy.exfiltration").size("threshold_bytes")).isEqualTo(104_857_600L);
        assertThat(c.detector("proxy.exfiltration").duration("window")).isEqualTo(Duration.ofHours(1));
        assertThat(c.detector("ad.auth_failure_burst").integer("count")).isEqualTo(10);
        assertThat(c.detector("ad.ms14_068").enabled()).isTrue();
        assertThat(c.logLevel()).isEqualTo("info");
    }

    @Test
    void emptyFileMeansAllDefaultsAndOnlyTheHttpEndpoint() throws Exception {
        lists();
        MamoriConfig c = parse("");
        assertThat(c.inputs().syslog().enabled()).isFalse();
        assertThat(c.inputs().http().port()).isEqualTo(9464);
        assertThat(c.outputs().file()).isNull();
        assertThat(c.detector("fw.connect_back").integers("ports")).containsExactly(25, 80, 443, 8080);
    }

    @Test
    void relativePathsResolveAgainstTheFilesFolder() throws Exception {
        Files.createDirectories(dir.resolve("lists"));
        Files.writeString(dir.resolve("lists/ioc.txt"), "c2.example.net\n");
        Files.writeString(dir.resolve("lists/ua.txt"), "curl/.*\n");
        Path file = dir.resolve("mamori.yaml");
        Files.writeString(file, """
                intel: {indicator_files: [lists/ioc.txt], allowed_user_agents_file: lists/ua.txt}
                outputs: {file: {path: out/alerts.jsonl}}
                sensor: {state_dir: state}
                """);
        MamoriConfig c = ConfigLoader.load(file);
        assertThat(c.intel().indicatorFiles().get(0).resource().describe())
                .isEqualTo(dir.resolve("lists/ioc.txt").toString());
        assertThat(c.outputs().file().path()).isEqualTo(dir.resolve("out/alerts.jsonl"));
        assertThat(c.sensor().stateDir()).isEqualTo(dir.resolve("state"));
    }

    @Test
    void portOutOfRangeNamesTheKeyPathAndValue() throws Exception {
        lists();
        assertThat(errors("inputs: {smtp: {port: 70000}}"))
                .containsExactly("inputs.smtp.port: must be 0..65535, was 70000");
    }

    @Test
    void everyErrorIsReportedNotOnlyTheFirst() throws Exception {
        lists();
        List<String> errors = errors("""
                site:
                  timezone: Asia/Tokio
                  internal_networks: [10.0.0.0/8, 10.300.0.0/16]
                  business_hours: {days: [MON, FUNDAY], start: "25:00"}
                  language: fr
                inputs:
                  smtp: {prot: 25, action: bounce, next_hop: nowhere}
                  http: {port: -1}
                outputs:
                  file: {max_size: 10 parsecs}
                  webhook: {url: ftp://x}
                detectors:
                  proxy.c2_daily_acess: {days: 3}
                  proxy.exfiltration: {window: soon, threshold_bytes: 0}
                  ad.auth_failure_burst: {count: many}
                logging: {level: loud}
                colour: blue
                """);
        assertThat(errors)
                .contains(
                        "site.timezone: not a time zone: 'Asia/Tokio' (examples: Asia/Tokyo, UTC)",
                        "site.business_hours.days[1]: not a day: 'FUNDAY' (MON, TUE, WED, THU, FRI, SAT, SUN)",
                        "site.business_hours.start: not a time of day: '25:00' (HH:MM, e.g. 08:00)",
                        "site.language: must be one of en | ja, was 'fr'",
                        "inputs.smtp.prot: unknown key (did you mean 'port'?)",
                        "inputs.smtp.action: must be one of monitor | tag | reject, was 'bounce'",
                        "inputs.smtp.next_hop: must be host:port with a port 1..65535, was 'nowhere'",
                        "inputs.http.port: must be 0..65535, was -1",
                        "outputs.file.max_size: not a size: '10 parsecs' (examples: 65536, 64KiB, 100MiB, 1GB)",
                        "outputs.webhook.url: required: an http:// or https:// URL, was 'ftp://x'",
                        "detectors.proxy.c2_daily_acess: unknown key (did you mean 'proxy.c2_daily_access'?)",
                        "detectors.proxy.exfiltration.window: not a duration: 'soon' (examples: 500ms, 30s, 5m, 1h, 2d)",
                        "detectors.proxy.exfiltration.threshold_bytes: must be at least 1, was 0",
                        "detectors.ad.auth_failure_burst.count: must be a whole number 1..2147483647, was 'many'",
                        "logging.level: must be one of trace | debug | info | warn | error, was 'loud'");
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("colour: unknown key"));
        assertThat(errors)
                .anySatisfy(e -> assertThat(e)
                        .startsWith("site.internal_networks[1]: not an IP address or CIDR block: '10.300.0.0/16'"));
        assertThat(errors).hasSize(17);
    }

    @Test
    void syslogInputKeysAndTlsRequirements() throws Exception {
        lists();
        Files.writeString(dir.resolve("cert.pem"), "x");
        Files.writeString(dir.resolve("key.pem"), "x");
        MamoriConfig c = parse("""
                inputs:
                  syslog: {udp_port: -1, tcp_port: 0, tls_port: 6514, max_message_size: 128KiB,
                           idle_timeout: 30s, tls: {certificate: cert.pem, key: key.pem}}
                """);
        MamoriConfig.SyslogInput s = c.inputs().syslog();
        assertThat(s.enabled()).isTrue();
        assertThat(s.udpPort()).isEqualTo(-1);
        assertThat(s.tlsPort()).isEqualTo(6514);
        assertThat(s.maxMessageSize()).isEqualTo(128 * 1024);
        assertThat(s.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.tls().certificate()).isEqualTo(dir.resolve("cert.pem"));
        assertThat(s.tls().clientCa()).isNull();
        assertThat(errors("inputs: {syslog: {tls_port: 6514}}"))
                .containsExactly("inputs.syslog.tls: required when tls_port is set: {certificate: FILE, key: FILE}");
        assertThat(errors("inputs: {syslog: {tls_port: 6514, tls: {certificate: nope.pem, key: key.pem}}}"))
                .containsExactly(
                        "inputs.syslog.tls.certificate: file not found or not readable: " + dir.resolve("nope.pem"),
                        "inputs.syslog.tls: required when tls_port is set: {certificate: FILE, key: FILE}");
        assertThat(errors("inputs: {syslog: {max_message_size: 1GiB}}"))
                .containsExactly("inputs.syslog.max_message_size: must be at most 16MiB, was 1GiB");
        assertThat(
                        errors(
                                "inputs: {syslog: {tcp_port: 5514, tls_port: 5514, tls: {certificate: cert.pem, key: key.pem}}}"))
                .containsExactly("inputs.syslog.tls_port: must differ from tcp_port (5514)");
    }

    @Test
    void smtpInputKeysAndStartTls() throws Exception {
        lists();
        Files.writeString(dir.resolve("cert.pem"), "x");
        Files.writeString(dir.resolve("key.pem"), "x");
        MamoriConfig.SmtpInput s = parse("""
                inputs:
                  smtp: {port: 2525, action: reject, hostname: mx-filter.corp.example, max_message_size: 10MiB,
                         max_recipients: 50, workers: 4, next_hop_timeout: 30s, max_buffered: 1GiB,
                         tls: {certificate: cert.pem, key: key.pem}}
                """).inputs().smtp();
        assertThat(s.enabled()).isTrue();
        assertThat(s.port()).isEqualTo(2525);
        assertThat(s.action()).isEqualTo("reject");
        assertThat(s.hostname()).isEqualTo("mx-filter.corp.example");
        assertThat(s.maxMessageSize()).isEqualTo(10L << 20);
        assertThat(s.maxRecipients()).isEqualTo(50);
        assertThat(s.workers()).isEqualTo(4);
        assertThat(s.nextHopTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.maxBuffered()).isEqualTo(1L << 30);
        assertThat(s.tls().key()).isEqualTo(dir.resolve("key.pem"));
        assertThat(parse("inputs: {smtp: {port: 2525}}").inputs().smtp().tls()).isNull();
        assertThat(parse("inputs: {smtp: {port: 2525}}").inputs().smtp().maxBuffered())
                .isEqualTo(512L << 20);
        assertThat(parse("inputs: {smtp: {port: 2525}}").inputs().smtp().nextHopAddress())
                .isEqualTo(new MamoriConfig.HostPort("127.0.0.1", 10026));
        assertThat(parse("inputs: {smtp: {next_hop: \"[::1]:2526\"}}")
                        .inputs()
                        .smtp()
                        .nextHopAddress())
                .isEqualTo(new MamoriConfig.HostPort("::1", 2526));
        assertThat(errors("inputs: {smtp: {tls: {certificate: nope.pem, key: key.pem}, workers: 0}}"))
                .containsExactlyInAnyOrder(
                        "inputs.smtp.tls.certificate: file not found or not readable: " + dir.resolve("nope.pem"),
                        "inputs.smtp.workers: must be 1..1000, was 0");
    }

    @Test
    void outputsAndAlertHygiene() throws Exception {
        lists();
        MamoriConfig c = parse("""
                outputs:
                  file: {path: a.jsonl, min_severity: low}
                  syslog: {host: siem.example, port: 514, protocol: udp, format: cef, min_severity: high,
                           exclude_rules: [ad.auth_spike]}
                  webhook: {url: "https://hooks.example/x", retries: 5, backoff: 2s, rules: [fw.c2_communication]}
                alerts:
                  dedupe_window: 2m
                  suppress: [{rule: fw.connect_back, field: source.ip, values: [10.0.99.5, 10.0.100.0/24]}]
                """);
        assertThat(c.outputs().syslog().format()).isEqualTo("cef");
        assertThat(c.outputs().syslog().filter().minSeverity()).isEqualTo(Severity.HIGH);
        assertThat(c.outputs().syslog().filter().excludeRules()).containsExactly("ad.auth_spike");
        assertThat(c.outputs().webhook().retries()).isEqualTo(5);
        assertThat(c.outputs().webhook().filter().rules()).containsExactly("fw.c2_communication");
        assertThat(c.alerts().dedupeWindow()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.alerts().suppress())
                .singleElement()
                .satisfies(s -> assertThat(s.values()).hasSize(2));
        assertThat(errors("""
                outputs: {syslog: {protocol: carrier-pigeon, rules: [fw.connect_bak]}}
                alerts: {suppress: [{rule: nope, field: source.address, values: []}]}
                """))
                .contains(
                        "outputs.syslog.protocol: must be one of udp | tcp | tls, was 'carrier-pigeon'",
                        "outputs.syslog.rules[0]: not a rule id: 'fw.connect_bak' (did you mean 'fw.connect_back'?)",
                        "alerts.suppress[0].rule: required: a rule id, was 'nope'",
                        "alerts.suppress[0].field: required: an alert field name such as source.ip, was 'source.address'",
                        "alerts.suppress[0].values: required: the values to suppress");
    }

    @Test
    void kafkaInputAndOutputAreReadAndCheckedByKey() throws Exception {
        lists();
        MamoriConfig c = parse("""
                inputs:
                  kafka:
                    bootstrap_servers: "k1:9092, k2:9092"
                    topics: [fw.logs, win.logs]
                    group: soc
                    instance: node-a
                    properties: {security.protocol: SSL, ssl.keystore.password: hunter2}
                outputs:
                  kafka: {bootstrap_servers: [k1:9092], topic: soc.alerts, min_severity: high,
                          spool: {path: var/spool-kafka}}
                """);
        MamoriConfig.KafkaInput in = c.inputs().kafka();
        assertThat(in.bootstrapServers()).containsExactly("k1:9092", "k2:9092");
        assertThat(in.topics()).containsExactly("fw.logs", "win.logs");
        assertThat(in.group()).isEqualTo("soc");
        assertThat(in.instance()).isEqualTo("node-a");
        assertThat(in.partitions()).isEqualTo(12);
        assertThat(in.commitInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(in.properties()).containsEntry("security.protocol", "SSL");
        assertThat(c.outputs().kafka().topic()).isEqualTo("soc.alerts");
        assertThat(c.outputs().kafka().filter().minSeverity()).isEqualTo(Severity.HIGH);
        assertThat(c.outputs().kafka().spool()).isNotNull();
        assertThat(parse("inputs: {kafka: {enabled: false, topics: [x]}}")
                        .inputs()
                        .kafka())
                .isNull();
        assertThat(errors("""
                inputs:
                  kafka:
                    bootstrap_servers: "k1"
                    topics: ["bad topic", soc.keyed]
                    group: soc
                    partitions: 0
                    properties: {group.id: other, enable.auto.commit: true}
                outputs: {kafka: {topic: "a/b"}}
                """))
                .contains(
                        "inputs.kafka.bootstrap_servers: must be host:port with a port 1..65535, was 'k1'",
                        "inputs.kafka.topics[0]: must be a Kafka topic name (letters, digits, . _ -), was 'bad topic'",
                        "inputs.kafka.topics: 'soc.keyed' is an internal topic of group soc",
                        "inputs.kafka.properties.group.id: is set by Mamori (at-least-once delivery depends on it);"
                                + " remove it",
                        "inputs.kafka.properties.enable.auto.commit: is set by Mamori (at-least-once delivery depends"
                                + " on it); remove it",
                        "outputs.kafka.bootstrap_servers: required: the brokers, e.g. \"kafka1:9092,kafka2:9092\"",
                        "outputs.kafka.topic: must be a Kafka topic name (letters, digits, . _ -), was 'a/b'")
                .anySatisfy(e -> assertThat(e).startsWith("inputs.kafka.partitions:"));
        assertThat(errors("outputs: {kafka: {bootstrap_servers: k:9092, properties: {linger.ms: soon}}}"))
                .containsExactly("outputs.kafka.properties: Invalid value soon for configuration linger.ms:"
                        + " Not a number of type LONG");
        assertThat(errors("inputs: {kafka: {bootstrap_servers: k:9092}}"))
                .contains("inputs.kafka.topics: required: the topics the log relays write to, e.g. [mamori.logs]");
    }

    @Test
    void theTransportIsTheFastestThereIsUnlessOneIsNamed() throws Exception {
        lists();
        assertThat(parse("site: {}").sensor().io()).isEqualTo(Transport.best());
        assertThat(parse("sensor: {io: nio}").sensor().io()).isEqualTo(Transport.NIO);
        assertThat(errors("sensor: {io: kqueue}"))
                .containsExactly("sensor.io: must be one of auto | io_uring | epoll | nio, was 'kqueue'");
        for (Transport t : Transport.values()) {
            if (!t.available()) {
                assertThat(errors("sensor: {io: " + t.label() + "}"))
                        .singleElement()
                        .asString()
                        .startsWith("sensor.io: " + t.label() + " is not available on this system");
            }
        }
    }

    @Test
    void eventLoopsAreACoreAndTwoForIcapUnlessCounted() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        for (String auto : List.of("site: {}", "sensor: {io_threads: auto}", "sensor: {io_threads: ' AUTO '}")) {
            LoopSizes sizes = parse(auto).sensor().ioThreads();
            assertThat(sizes.of("icap")).as(auto).isEqualTo(2 * cores);
            assertThat(sizes.of("smtp")).as(auto).isEqualTo(cores);
            assertThat(sizes.of("syslog")).as(auto).isEqualTo(cores);
        }
        assertThat(parse("sensor: {io_threads: 3}").sensor().ioThreads()).isEqualTo(LoopSizes.shared(3));
        assertThat(parse("sensor: {io_threads: 3}").sensor().ioThreads().of("icap"))
                .isEqualTo(3);
        assertThat(parse("sensor: {io_threads: '1024'}").sensor().ioThreads()).isEqualTo(LoopSizes.shared(1024));
        assertThat(errors("sensor: {io_threads: 0}"))
                .containsExactly("sensor.io_threads: must be auto or a whole number 1..1024, was '0'");
        assertThat(errors("sensor: {io_threads: many}"))
                .containsExactly("sensor.io_threads: must be auto or a whole number 1..1024, was 'many'");
        assertThat(errors("sensor: {io_threads: 1025}")).hasSize(1);
    }

    @Test
    void expectedSourcesAreReadAndCheckedByKey() throws Exception {
        lists();
        MamoriConfig c = parse("""
                site:
                  sources:
                    - {name: fw-hq, address: 192.0.2.1, kind: firewall, max_silence: 10m}
                    - {name: dc01, host: DC01.corp.example.com, kind: windows, expect_events: [4624, 4769]}
                  max_clock_skew: 2m
                alerts: {incident_window: 12h}
                sensor: {review_days: 30}
                """);
        assertThat(c.sources().expected())
                .containsExactly(
                        new ExpectedSource("fw-hq", "192.0.2.1", null, "firewall", Duration.ofMinutes(10), List.of()),
                        new ExpectedSource(
                                "dc01",
                                null,
                                "DC01.corp.example.com",
                                "windows",
                                Duration.ofMinutes(30),
                                List.of(4624, 4769)));
        assertThat(c.sources().maxClockSkew()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.alerts().incidentWindow()).isEqualTo(Duration.ofHours(12));
        assertThat(c.sensor().reviewDays()).isEqualTo(30);
        assertThat(errors("""
                        site:
                          sources:
                            - {name: a, kind: router}
                            - {name: A, address: 300.1.1.1, expect_events: [99999], max_silence: 0s}
                        alerts: {incident_window: 0s}
                        """))
                .containsExactlyInAnyOrder(
                        "site.sources[0].kind: must be one of firewall | proxy | windows | mail | other, was 'router'",
                        "site.sources[0].address: required, or host: the sender's IP address (or its syslog HOSTNAME"
                                + " / Computer)",
                        "site.sources[1].expect_events[0]: must be 0..65535, was '99999'",
                        "site.sources[1].name: 'A' names two sources",
                        "site.sources[1].address: not an IP address: '300.1.1.1'",
                        "site.sources[1].max_silence: must be positive",
                        "alerts.incident_window: must be positive (e.g. 24h)");
    }

    @Test
    void wrongShapesAreErrorsNotCrashes() throws Exception {
        lists();
        assertThat(errors("site: [1, 2]")).containsExactly("site: must be a mapping of keys, was a list");
        assertThat(errors("inputs: {http: {port: {a: 1}}}"))
                .containsExactly("inputs.http.port: must be a whole number 0..65535, was a mapping");
        assertThat(errors("site: {ad_domains: [CORP]}"))
                .containsExactly("site.ad_domains[0]: must be a mapping of keys, was a string");
        assertThat(errors("site: {ad_domains: [{netbios: CORP}]}"))
                .containsExactly(
                        "site.ad_domains[0].fqdn: required: the domain's DNS name, e.g. corp.example.com, was missing");
        assertThat(errors("- a\n- b")).containsExactly("the configuration must be a mapping of sections");
    }

    @Test
    void yamlSyntaxAndDuplicateKeysAreReportedWithTheirPlace() throws Exception {
        lists();
        assertThat(errors("site: {timezone: UTC\ninputs: ["))
                .singleElement()
                .satisfies(e -> assertThat(e).startsWith("not valid YAML: line "));
        assertThat(errors("inputs:\n  http: {port: 1}\n  http: {port: 2}\n"))
                .singleElement()
                .satisfies(e -> assertThat(e).contains("Duplicate field 'http'"));
    }

    @Test
    void missingListFilesAreErrors() {
        assertThat(errors("intel: {indicator_files: [nope.txt], allowed_user_agents_file: none.txt}"))
                .containsExactly(
                        "intel.indicator_files[0]: file not found or not readable: " + dir.resolve("nope.txt"),
                        "intel.allowed_user_agents_file: file not found or not readable: " + dir.resolve("none.txt"));
    }

    @Test
    void effectiveTreeHasDefaultsFilledIn() throws Exception {
        lists();
        MamoriConfig c = parse("inputs: {http: {port: 0}}");
        assertThat(c.effective().at("/inputs/http/port").asInt()).isEqualTo(0);
        assertThat(c.effective().at("/inputs/http/bind").asText()).isEqualTo("127.0.0.1");
        assertThat(c.effective().at("/detectors/proxy.exfiltration/window").asText())
                .isEqualTo("1h");
        assertThat(c.effective().at("/site/timezone").asText()).isEqualTo("Asia/Tokyo");
        assertThat(c.effective().has("outputs")).isTrue();
        assertThat(c.effective().at("/outputs").has("webhook")).isFalse();
    }

    @Test
    void missingFileIsAClearError() {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("absent.yaml")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors())
                        .singleElement()
                        .satisfies(err -> assertThat(err.message()).startsWith("cannot read: NoSuchFile")));
    }

    @Test
    void allowedClientsDefaultToLoopbackForSmtpAndIcapAndAnyoneElseAndAreValidated() throws Exception {
        lists();
        MamoriConfig c = parse("inputs: {smtp: {port: 0}, icap: {port: 0}, syslog: {udp_port: 0}}\n");
        assertThat(c.inputs().smtp().allowedClients().blocks()).containsExactly("127.0.0.0/8", "::1/128");
        assertThat(c.inputs().icap().allowedClients().blocks()).containsExactly("127.0.0.0/8", "::1/128");
        assertThat(c.inputs().syslog().allowedClients().anyone()).isTrue();
        assertThat(c.inputs().http().allowedClients().anyone()).isTrue();
        assertThat(errors("inputs: {smtp: {allowed_clients: [10.0.0.0/8, not-an-address, 2001:db8::/32]},"
                        + " http: {allowed_clients: []}}\n"))
                .contains(
                        "inputs.smtp.allowed_clients[1]: not an IP address or CIDR block: 'not-an-address'",
                        "inputs.http.allowed_clients: must name at least one address or CIDR block (0.0.0.0/0 and ::/0 for"
                                + " anyone)");
    }

    @Test
    void webConfigFileInTheExporterToolkitFormatIsCheckedByKey() throws Exception {
        lists();
        Files.writeString(dir.resolve("web.yml"), """
                tls_server_config: {cert_file: missing.crt, key_file: missing.key, client_auth_type: RequireAndVerifyClientCert,
                                    cipher_suites: [TLS_AES_128_GCM_SHA256]}
                basic_auth_users: {prometheus: plaintext-password}
                """);
        List<String> e = errors("inputs: {http: {web_config_file: web.yml}}\n");
        assertThat(e)
                .anySatisfy(x -> assertThat(x)
                        .startsWith("inputs.http.web_config_file: tls_server_config.cert_file:"
                                + " file not found or not readable"));
        assertThat(e)
                .anySatisfy(x -> assertThat(x)
                        .contains("tls_server_config.client_ca_file: required when"
                                + " client_auth_type is RequireAndVerifyClientCert"));
        assertThat(e).anySatisfy(x -> assertThat(x).contains("tls_server_config.cipher_suites: unknown key"));
        assertThat(e).anySatisfy(x -> assertThat(x).contains("basic_auth_users.prometheus: must be a bcrypt hash"));
        assertThat(String.join("\n", e)).as("a credential is never echoed").doesNotContain("plaintext-password");
    }

    @Test
    void secretsInTheWebhookUrlNeverReachTheEffectiveConfiguration() throws Exception {
        lists();
        MamoriConfig c =
                parse("outputs: {webhook: {url: \"https://soc:hunter2@hooks.example/in?token=abc123&x=1\"}}\n");
        assertThat(c.outputs().webhook().url()).isEqualTo("https://soc:hunter2@hooks.example/in?token=abc123&x=1");
        String printed = c.effective().toString();
        assertThat(printed)
                .contains("https://soc:****@hooks.example/in?token=****&x=****")
                .doesNotContain("hunter2")
                .doesNotContain("abc123");
        assertThat(errors("outputs: {webhook: {url: \"ftp://u:pw@h/?k=v\"}}\n"))
                .singleElement()
                .asString()
                .doesNotContain("pw@")
                .doesNotContain("k=v");
    }

    @Test
    void openListenersAreWarnedAbout() throws Exception {
        lists();
        assertThat(parse("").warnings()).isEmpty();
        assertThat(parse("inputs: {http: {bind: 0.0.0.0}}\n").warnings())
                .singleElement()
                .asString()
                .contains("/api/* and /reports/* answer 403");
        assertThat(parse("inputs: {smtp: {allowed_clients: [0.0.0.0/0, \"::/0\"]}}\n")
                        .warnings())
                .singleElement()
                .asString()
                .startsWith("inputs.smtp.allowed_clients: anyone may connect");
    }

    /**
     * The shipped default documents every rule option, with the rule's own default as its value
     * (lists a site fills in, empty by default, may carry examples there).
     */
    @Test
    void theEmbeddedDefaultConfigurationAgreesWithTheRuleSpecs() throws Exception {
        MamoriConfig embedded = ConfigLoader.loadEmbedded();
        JsonNode written = new ObjectMapper(new YAMLFactory())
                .readTree(Path.of("..", "config", "mamori.yaml").toFile())
                .path("detectors");
        for (RuleSpec<?> spec : Rules.ALL) {
            for (OptionSpec o : spec.options()) {
                assertThat(written.path(spec.id()).has(o.key()))
                        .as("config/mamori.yaml documents %s.%s", spec.id(), o.key())
                        .isTrue();
                boolean siteList = o.defaultValue() instanceof Collection<?> c && c.isEmpty()
                        || o.defaultValue() instanceof Map<?, ?> m && m.isEmpty();
                if (!siteList) {
                    assertThat(embedded.detector(spec.id()).options().values().get(o.key()))
                            .as("%s.%s in config/mamori.yaml", spec.id(), o.key())
                            .isEqualTo(o.defaultValue());
                }
            }
        }
        written.fieldNames()
                .forEachRemaining(id ->
                        assertThat(Rules.byId(id)).as("a rule named %s", id).isPresent());
    }
}
