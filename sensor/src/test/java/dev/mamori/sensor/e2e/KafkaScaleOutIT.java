package dev.mamori.sensor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mamori.sensor.kafka.KeyPartitions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Mamori instances in one consumer group on a real KRaft broker: they split the partitions; the
 * state of an account's authentication failures and of a client's POST-then-CONNECT upload follows
 * its keyed partition when the instance holding it is killed halfway, so the other finishes the
 * count and raises each alert exactly once. Windows events arrive as Winlogbeat JSON and as Event
 * XML and raise the same AD alert.
 */
class KafkaScaleOutIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PARTITIONS = 4;
    private static final String GROUP = "scale";

    @TempDir
    Path dir;

    private SensorProcess start(String name, KafkaBroker broker) throws Exception {
        return start(name, broker, "");
    }

    private SensorProcess start(String name, KafkaBroker broker, String moreInputs) throws Exception {
        return start(name, broker, moreInputs, "300ms");
    }

    private SensorProcess start(String name, KafkaBroker broker, String moreInputs, String commitInterval)
            throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Path config = home.resolve("mamori.yaml");
        Files.writeString(home.resolve("ua.txt"), "Mozilla/.*\n");
        Files.writeString(
                config, """
                site: {ad_domains: [{netbios: CORP, fqdn: corp.example.com}]}
                intel: {allowed_user_agents_file: ua.txt}
                inputs:
                  http: {port: 0}%s
                  kafka:
                    bootstrap_servers: "%s"
                    topics: [mamori.logs]
                    group: %s
                    partitions: %d
                    commit_interval: %s
                    instance: %s
                    properties: {session.timeout.ms: 6000, heartbeat.interval.ms: 1000, transaction.timeout.ms: 10000}
                outputs: {file: {path: var/alerts.jsonl}}
                detectors:
                  sensor.clock_skew: {enabled: false}
                  proxy.exfiltration: {threshold_bytes: 1MiB}
                """.formatted(moreInputs, broker.bootstrap(), GROUP, PARTITIONS, commitInterval, name));
        SensorProcess p = SensorProcess.start(home, "run", "--config", config.toString());
        p.awaitListening("http", 60);
        return p;
    }

    private static List<String> keyedHeld(SensorProcess p) throws Exception {
        List<String> held = new ArrayList<>();
        JSON.readTree(p.get("/health")).path("kafka").path("assigned").forEach(n -> {
            if (n.asText().startsWith(GROUP + ".keyed-")) {
                held.add(n.asText());
            }
        });
        return held;
    }

    private static void awaitSplit(SensorProcess a, SensorProcess b) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            List<String> ha = keyedHeld(a);
            List<String> hb = keyedHeld(b);
            if (!ha.isEmpty() && !hb.isEmpty() && ha.size() + hb.size() == PARTITIONS) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the partitions were never split: a=" + keyedHeld(a) + " b=" + keyedHeld(b));
    }

    /** Waits until {@code p} has consumed {@code n} keyed records and committed after that. */
    private static void awaitCommitted(SensorProcess p, int n) throws Exception {
        String consumed = "mamori_kafka_records_consumed_total{stage=\"keyed\"}";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (p.metric(consumed) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + p.metric(consumed) + " keyed records consumed");
            }
            Thread.sleep(100);
        }
        while (p.metric("mamori_kafka_uncommitted_records") > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no commit after the records");
            }
            Thread.sleep(100);
        }
    }

    static String failure(int i) {
        return failure(i, "alice", "10.9.9." + i);
    }

    static String failure(int i, String account, String address) {
        return "{\"@timestamp\":\"2026-12-01T01:00:%02d.000Z\",\"winlog\":{\"event_id\":4625,".formatted(i)
                + "\"provider_name\":\"Microsoft-Windows-Security-Auditing\",\"channel\":\"Security\","
                + "\"computer_name\":\"DC01.corp.example.com\",\"event_data\":{\"TargetUserName\":\"" + account
                + "\",\"TargetDomainName\":\"CORP\",\"IpAddress\":\"" + address + "\",\"WorkstationName\":\"WS"
                + i + "\",\"Status\":\"0xc000006d\",\"SubStatus\":\"0xc000006a\"}}}";
    }

    static String upload(String client, String method, String target, long bytes) {
        return "%d.000 10 %s TCP_MISS/200 512 %s %s - HIER_DIRECT/203.0.113.9 - %d \"Mozilla/5.0\""
                .formatted(System.currentTimeMillis() / 1000, client, method, target, bytes);
    }

    private static final String CLEARED_XML = "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">"
            + "<System><Provider Name=\"Microsoft-Windows-Eventlog\"/><EventID>1102</EventID>"
            + "<TimeCreated SystemTime=\"2026-12-01T01:00:00.000Z\"/><EventRecordID>8</EventRecordID>"
            + "<Channel>Security</Channel><Computer>DC01.corp.example.com</Computer></System>"
            + "<UserData><LogFileCleared xmlns=\"http://manifests.microsoft.com/win/2004/08/windows/eventlog\">"
            + "<SubjectUserName>mallory</SubjectUserName></LogFileCleared></UserData></Event>";

    /** The same event as Winlogbeat 8 writes it to Kafka. */
    private static final String CLEARED_WINLOGBEAT = "{\"@timestamp\":\"2026-12-01T01:00:00.000Z\","
            + "\"host\":{\"name\":\"dc02.corp.example.com\"},\"event\":{\"code\":\"1102\",\"kind\":\"event\"},"
            + "\"winlog\":{\"event_id\":\"1102\",\"provider_name\":\"Microsoft-Windows-Eventlog\",\"channel\":\"Security\","
            + "\"computer_name\":\"DC02.corp.example.com\",\"record_id\":\"9\",\"api\":\"wineventlog\","
            + "\"user_data\":{\"SubjectUserName\":\"mallory\",\"SubjectDomainName\":\"CORP\"}}}";

    private static List<JsonNode> alertsIn(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        if (Files.exists(file)) {
            for (String l : Files.readAllLines(file)) {
                if (!l.isBlank()) {
                    out.add(JSON.readTree(l));
                }
            }
        }
        return out;
    }

    @Test
    void stateFollowsItsKeyWhenTheInstanceHoldingItIsKilled() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir)) {
            broker.createTopic("mamori.logs", PARTITIONS);
            try (SensorProcess a = start("a", broker);
                    SensorProcess b = start("b", broker);
                    KafkaProducer<String, String> relay = producer(broker)) {
                awaitSplit(a, b);
                String alicePartition = GROUP + ".keyed-" + KeyPartitions.of("alice", PARTITIONS);
                boolean aHolds = keyedHeld(a).contains(alicePartition);
                SensorProcess holder = aHolds ? a : b;
                SensorProcess other = aHolds ? b : a;
                String client = null;
                for (int i = 1; client == null; i++) {
                    String c = "10.0.0." + i;
                    if (keyedHeld(holder).contains(GROUP + ".keyed-" + KeyPartitions.of(c, PARTITIONS))) {
                        client = c;
                    }
                }
                // rsyslog relays the Windows and proxy lines, keyed by its host name, not by what the
                // detections count: Mamori re-keys them.
                Path lines = dir.resolve("relay.log");
                Process rs = rsyslogToKafka(broker, lines);
                try {
                    append(
                            lines,
                            failure(1),
                            failure(2),
                            failure(3),
                            failure(4),
                            failure(5),
                            upload(client, "POST", "http://upload.example.net/in", 600_000),
                            upload(client, "CONNECT", "upload.example.net:443", 300_000));
                    awaitCommitted(holder, 7);
                    assertThat(holder.alerts(x -> false)).isEmpty();
                    holder.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

                    append(
                            lines,
                            failure(6),
                            failure(7),
                            failure(8),
                            failure(9),
                            failure(10),
                            upload(client, "CONNECT", "upload.example.net:443", 300_000),
                            CLEARED_XML);
                    // Winlogbeat writes to Kafka itself
                    relay.send(new ProducerRecord<>("mamori.logs", "dc02", CLEARED_WINLOGBEAT));
                    relay.flush();
                    // the group notices the death (session.timeout.ms 6 s) and the dead instance's open
                    // transaction times out (10 s) before the survivor reads on
                    other.alerts(x -> x.size() >= 4, 120);
                } finally {
                    rs.destroy();
                    rs.waitFor(10, TimeUnit.SECONDS);
                }

                Thread.sleep(2000); // anything raised twice would be here by now
                List<JsonNode> got = other.alerts(x -> false);
                assertThat(got)
                        .as("alerts of the instance that took over; rsyslogd:\n"
                                + Files.readString(dir.resolve("rsyslogd.out")))
                        .extracting(x -> x.get("rule.id").asText() + " "
                                + x.path("user.name").asText(x.path("source.ip").asText())
                                + " " + x.path("host.name").asText(""))
                        .containsExactlyInAnyOrder(
                                "ad.auth_failure_burst alice DC01.corp.example.com",
                                "proxy.exfiltration " + client + " ",
                                "ad.log_cleared mallory DC01.corp.example.com",
                                "ad.log_cleared mallory DC02.corp.example.com");
                assertThat(alertsIn(dir.resolve(aHolds ? "a" : "b").resolve("var/alerts.jsonl")))
                        .as("the killed instance had raised nothing")
                        .isEmpty();
            }
        }
    }

    /**
     * rsyslog reads a firewall, a proxy and a Windows line from a file and writes them to the topic
     * with omkafka, keyed by host with the Java-compatible partitioner, as deploy/rsyslog suggests.
     */
    @Test
    void rsyslogOmkafkaFeedsTheGroup() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir)) {
            broker.createTopic("mamori.logs", PARTITIONS);
            try (SensorProcess a = start("a", broker, "", "5s")) {
                Path lines = dir.resolve("devices.log");
                append(
                        lines,
                        "date=2026-11-28 time=10:00:01 type=\"traffic\" srcip=10.1.2.3 srcport=50001"
                                + " dstip=203.0.113.80 dstport=443 proto=6 action=\"deny\"",
                        "%d.000 10 10.0.0.8 TCP_TUNNEL/200 0 CONNECT mail.example.com:25 - HIER_DIRECT/203.0.113.25 -"
                                .formatted(System.currentTimeMillis() / 1000),
                        CLEARED_XML);
                Process rs = rsyslogToKafka(broker, lines);
                try {
                    List<JsonNode> got = a.alerts(x -> x.size() >= 3, 90);
                    assertThat(got)
                            .as(Files.readString(dir.resolve("rsyslogd.out")))
                            .extracting(x -> x.get("rule.id").asText())
                            .containsExactlyInAnyOrder(
                                    "fw.connect_back", "proxy.connect_nonstandard_port", "ad.log_cleared");
                    String metrics = a.get("/metrics");
                    assertThat(metrics)
                            .contains(
                                    "mamori_kafka_records_consumed_total{stage=\"logs\"} 3.0",
                                    "mamori_kafka_records_consumed_total{stage=\"keyed\"} 3.0",
                                    "mamori_kafka_assigned_partitions 4.0",
                                    "mamori_kafka_lag{partition=\"0\",topic=\"mamori.logs\"}",
                                    "mamori_kafka_lag{partition=\"3\",topic=\"scale.keyed\"}",
                                    "mamori_kafka_restore_seconds_count 1")
                            .containsPattern("mamori_kafka_rebalances_total [1-9]");
                    // lines consumed but not committed yet (commit_interval 5s): a stop commits them
                    append(
                            lines,
                            "date=2026-11-28 time=10:00:02 type=\"traffic\" srcip=10.1.2.4 srcport=50002"
                                    + " dstip=203.0.113.81 dstport=443 proto=6 action=\"accept\"");
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (a.metric("mamori_kafka_records_consumed_total{stage=\"logs\"}") < 4) {
                        assertThat(System.nanoTime()).isLessThan(deadline);
                        Thread.sleep(50);
                    }
                    a.sigterm();
                    assertThat(a.waitForExit(30)).isZero();
                } finally {
                    rs.destroy();
                    rs.waitFor(10, TimeUnit.SECONDS);
                }
            }
            // the next instance of the group starts where the stopped one committed: nothing read twice
            try (SensorProcess next = start("next", broker)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (keyedHeld(next).size() < PARTITIONS) {
                    assertThat(System.nanoTime())
                            .as("never held the partitions")
                            .isLessThan(deadline);
                    Thread.sleep(200);
                }
                Thread.sleep(3000);
                // No log record is read again. The last line's keyed copy, committed at the stop, is
                // inspected here if the stopped one had not yet (1), else not again (0).
                assertThat(next.metric("mamori_kafka_records_consumed_total{stage=\"logs\"}"))
                        .isZero();
                assertThat(next.metric("mamori_kafka_records_consumed_total{stage=\"keyed\"}"))
                        .isBetween(0.0, 1.0);
                assertThat(next.alerts(x -> false)).isEmpty();
            }
        }
    }

    /** Internal topics with another partition count would put keys away from their state: refused. */
    @Test
    void aPartitionCountThatWouldMoveKeysFromTheirStateIsRefused() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir)) {
            broker.createTopic("mamori.logs", PARTITIONS);
            broker.createTopic(GROUP + ".keyed", 2);
            try (SensorProcess a = start("a", broker)) {
                assertThat(a.awaitLine(
                                "topic scale.keyed has 2 partitions, inputs.kafka.partitions says 4: set it to 2", 60))
                        .as(String.join("\n", a.drain()))
                        .isTrue();
                assertThat(keyedHeld(a)).isEmpty();
                assertThat(a.get("/metrics")).containsPattern("mamori_kafka_failures_total [1-9]");
            }
        }
    }

    /**
     * outputs.kafka with a spool: while the broker is down the alert waits on disk; once the broker
     * is up it lands on the alerts topic as the alert file's JSON, keyed by rule and entity.
     */
    @Test
    void alertsWaitInTheSpoolUntilTheBrokerIsUp() throws Exception {
        int port = KafkaBroker.freePort();
        Path home = Files.createDirectories(dir.resolve("out"));
        Files.writeString(home.resolve("mamori.yaml"), """
                inputs:
                  http: {port: 0}
                  syslog: {udp_port: -1, tcp_port: 0}
                outputs:
                  file: {path: var/alerts.jsonl}
                  kafka: {bootstrap_servers: "127.0.0.1:%d", topic: soc.alerts, spool: {path: var/spool-kafka}}
                detectors: {sensor.clock_skew: {enabled: false}}
                """.formatted(port));
        try (SensorProcess sensor = SensorProcess.start(
                home, "run", "--config", home.resolve("mamori.yaml").toString())) {
            sensor.awaitListening("http", 60);
            int tcp = sensor.awaitListening("syslog", "tcp", 10);
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", tcp)) {
                s.getOutputStream()
                        .write(("<13>1 2026-12-01T01:00:00Z dc01 win - - - " + CLEARED_XML + "\n")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            assertThat(sensor.alerts(x -> x.size() >= 1)).hasSize(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (sensor.metric("mamori_output_spool_bytes{output=\"kafka\"}") <= 0) {
                assertThat(System.nanoTime())
                        .as("the alert never reached the spool")
                        .isLessThan(deadline);
                Thread.sleep(200);
            }
            try (KafkaBroker broker = KafkaBroker.start(dir, port)) {
                broker.createTopic("soc.alerts", 2);
                List<String> got = new ArrayList<>();
                Properties p = new Properties();
                p.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
                p.put(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG, "soc");
                p.put(org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
                try (org.apache.kafka.clients.consumer.KafkaConsumer<String, String> c =
                        new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                                p,
                                new org.apache.kafka.common.serialization.StringDeserializer(),
                                new org.apache.kafka.common.serialization.StringDeserializer())) {
                    c.subscribe(List.of("soc.alerts"));
                    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                    while (got.isEmpty() && System.nanoTime() < deadline) {
                        c.poll(java.time.Duration.ofMillis(500)).forEach(r -> got.add(r.key() + " " + r.value()));
                    }
                }
                assertThat(got).singleElement().satisfies(r -> {
                    assertThat(r).startsWith("ad.log_cleared|mallory {");
                    JsonNode a = JSON.readTree(r.substring(r.indexOf(' ') + 1));
                    assertThat(a.get("rule.id").asText()).isEqualTo("ad.log_cleared");
                    assertThat(a.get("host.name").asText()).isEqualTo("DC01.corp.example.com");
                });
                sensor.awaitMetrics("mamori_output_spool_bytes{output=\"kafka\"} 0.0");
            }
        }
    }

    /**
     * An instance answers ICAP for a client whose state another instance holds: the verdict is its
     * own, and the request goes on to the holder, where it starts the upload sequence that the
     * proxy's access-log lines (through Kafka) complete. And failures from one source for accounts
     * held on both instances are counted per source where the source is held.
     */
    @Test
    void stateOfAnInlineRequestAndOfASecondKeyIsKeptWhereItsKeyIsHeld() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir)) {
            broker.createTopic("mamori.logs", PARTITIONS);
            try (SensorProcess a = start("a", broker, "\n  icap: {port: 0}");
                    SensorProcess b = start("b", broker);
                    KafkaProducer<String, String> relay = producer(broker)) {
                awaitSplit(a, b);
                String client = null;
                for (int i = 1; client == null; i++) {
                    String c = "10.0.0." + i;
                    if (keyedHeld(b).contains(GROUP + ".keyed-" + KeyPartitions.of(c, PARTITIONS))) {
                        client = c;
                    }
                }
                int icap = a.awaitListening("icap", 10);
                String http = "POST http://upload.example.net/in HTTP/1.1\r\nHost: upload.example.net\r\n"
                        + "Content-Length: 600000\r\nUser-Agent: Mozilla/5.0\r\n\r\n";
                String request = "REQMOD icap://127.0.0.1:" + icap + "/reqmod ICAP/1.0\r\nHost: 127.0.0.1\r\n"
                        + "X-Client-IP: " + client + "\r\nAllow: 204\r\nEncapsulated: req-hdr=0, null-body="
                        + http.length() + "\r\n\r\n" + http;
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", icap)) {
                    s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    String status = new java.io.BufferedReader(new java.io.InputStreamReader(
                                    s.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
                            .readLine();
                    assertThat(status).isEqualTo("ICAP/1.0 204 No Content");
                }
                relay.send(new ProducerRecord<>(
                        "mamori.logs", "proxy1", upload(client, "CONNECT", "upload.example.net:443", 500_000)));
                // Password spraying: five accounts, held by both instances, failing from one source. The
                // source's holder sees all five (copies of the failures whose accounts are held
                // elsewhere) and alerts once; neither sees an account burst.
                List<String> sprayed = new ArrayList<>();
                int onA = 0;
                for (int i = 0; sprayed.size() < 5; i++) {
                    String account = "user" + i;
                    boolean heldByA = keyedHeld(a).contains(GROUP + ".keyed-" + KeyPartitions.of(account, PARTITIONS));
                    if (heldByA ? onA < 3 : sprayed.size() - onA < 2) {
                        sprayed.add(account);
                        onA += heldByA ? 1 : 0;
                    }
                }
                for (int i = 0; i < sprayed.size(); i++) {
                    relay.send(new ProducerRecord<>("mamori.logs", "dc01", failure(i, sprayed.get(i), "10.66.0.1")));
                }
                relay.flush();
                boolean sourceOnA =
                        keyedHeld(a).contains(GROUP + ".keyed-" + KeyPartitions.of("10.66.0.1", PARTITIONS));
                (sourceOnA ? a : b)
                        .alerts(
                                x -> x.stream()
                                        .anyMatch(y -> y.get("rule.id").asText().equals("ad.auth_failure_burst")),
                                90);
                b.alerts(x -> x.stream().anyMatch(y -> y.get("rule.id").asText().equals("proxy.exfiltration")), 90);
                Thread.sleep(2000); // anything raised twice would be here by now
                List<JsonNode> fromA = a.alerts(x -> false);
                List<JsonNode> fromB = b.alerts(x -> false);
                assertThat(fromB)
                        .filteredOn(x -> x.get("rule.id").asText().equals("proxy.exfiltration"))
                        .extracting(x -> x.get("source.ip").asText())
                        .containsExactly(client);
                assertThat(fromA)
                        .noneSatisfy(x -> assertThat(x.get("rule.id").asText()).isEqualTo("proxy.exfiltration"));
                List<JsonNode> both = new ArrayList<>(fromA);
                both.addAll(fromB);
                assertThat(both)
                        .as("a=%s b=%s sprayed=%s", keyedHeld(a), keyedHeld(b), sprayed)
                        .filteredOn(x -> x.get("rule.id").asText().equals("ad.auth_failure_burst"))
                        .extracting(x -> x.get("source.ip").asText() + " "
                                + x.path("event.action").asText())
                        .containsExactly("10.66.0.1 spraying");
                assertThat(sourceOnA ? fromA : fromB)
                        .anySatisfy(x -> assertThat(x.get("rule.id").asText()).isEqualTo("ad.auth_failure_burst"));
                assertThat(a.get("/metrics")).contains("mamori_kafka_follow_ups_total{result=\"sent\"} 1.0");
            }
        }
    }

    /** rsyslog tailing {@code lines} and writing each line to mamori.logs with omkafka, as deploy/rsyslog does. */
    private Process rsyslogToKafka(KafkaBroker broker, Path lines) throws Exception {
        Path rsyslogd = Peers.require("rsyslogd", "rsyslog");
        Peers.requireFile(Path.of("/usr/lib/x86_64-linux-gnu/rsyslog/omkafka.so"), "rsyslog-kafka");
        Path work = Files.createDirectories(dir.resolve("rsyslog-work"));
        Path conf = dir.resolve("rsyslog.conf");
        Files.writeString(conf, """
                global(workDirectory="%s" maxMessageSize="64k")
                module(load="imfile" mode="polling" PollingInterval="1")
                input(type="imfile" File="%s" Tag="devices")
                module(load="omkafka")
                template(name="mamoriKey" type="string" string="%%hostname%%")
                action(type="omkafka" broker=["%s"] topic="mamori.logs"
                       template="RSYSLOG_SyslogProtocol23Format" dynaKey="on" key="mamoriKey"
                       partitions.auto="on" topicConfParam=["partitioner=murmur2_random"])
                """.formatted(work.toAbsolutePath(), lines.toAbsolutePath(), broker.bootstrap()));
        return Peers.rsyslogd(rsyslogd, conf, dir);
    }

    private static void append(Path file, String... lines) throws Exception {
        Files.writeString(
                file,
                String.join("\n", lines) + "\n",
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    private static KafkaProducer<String, String> producer(KafkaBroker broker) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }
}
