package dev.mamori.bench;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.Language;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.proxy.ProxyConnectNonstandardPort;
import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.sensor.alert.AlertJson;
import dev.mamori.sensor.alert.JsonLinesFileOutput;
import dev.mamori.sensor.incident.IncidentBook;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An alert for a CONNECT to a non-standard port as the ICAP input raises it: built by its rule and
 * given its incident (what the event loop does for it); written by the file output (what its
 * writer thread does); and encoded alone as a JSON line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class AlertBenchmark {

    private Alert alert;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);

    @Setup
    public void setup() {
        Map<AlertField, Object> fields = new EnumMap<>(AlertField.class);
        fields.put(AlertField.SOURCE_IP, "10.1.2.3");
        fields.put(AlertField.DESTINATION_DOMAIN, "mail.example.test");
        fields.put(AlertField.DESTINATION_PORT, 25L);
        fields.put(AlertField.URL_FULL, "mail.example.test:25");
        fields.put(AlertField.HTTP_REQUEST_METHOD, "CONNECT");
        fields.put(AlertField.USER_AGENT_ORIGINAL, "curl/8.5.0");
        fields.put(AlertField.THREAT_TECHNIQUE_ID, "T1571");
        fields.put(AlertField.INCIDENT_ID, "INC-20261204-10.1.2.3-0001");
        alert = new Alert(
                Instant.parse("2026-12-04T03:00:01.234Z"),
                "proxy.connect_nonstandard_port",
                "CONNECT to a port other than 80/443",
                Severity.MEDIUM,
                "10.1.2.3 opened a CONNECT tunnel to mail.example.test:25 through the proxy",
                ObserverInput.ICAP,
                "Check which program on the host opened the tunnel; tunnels to mail or other ports are how"
                        + " malware reaches its C&C past the proxy.",
                fields);
    }

    private final ProxyConnectNonstandardPort rule = new ProxyConnectNonstandardPort(
            Set.of(80, 443),
            new AlertFactory(MessageCatalog.load(Language.EN), Clock.systemUTC()),
            ObserverInput.FILE,
            Clock.systemUTC());
    private final IncidentBook incidents =
            new IncidentBook(Duration.ofHours(24), 10_000, MessageCatalog.load(Language.EN));
    private final ProxyEvent connect = new ProxyEvent(
            Instant.parse("2026-12-04T03:00:01.234Z"),
            "10.1.2.3",
            "CONNECT",
            "mail.example.test:25",
            "mail.example.test",
            25,
            "curl/8.5.0",
            0,
            0,
            "icap",
            null);

    /**
     * The alert's way on the event loop when a CONNECT to port 25 passes the ICAP input: the rule
     * builds it (catalog texts, fields), the incident book gives it its incident.
     */
    @Benchmark
    public Object connectAlert() {
        Alert[] built = new Alert[1];
        rule.inspect(connect, a -> built[0] = a);
        return incidents.assign(built[0]);
    }

    /**
     * What the file output's writer thread does for each alert (without the queue): the line
     * encoded into the output's reused buffer, and written out with 255 others at a time, as the
     * writer takes them. The alerts are as the ICAP input raises them for a CONNECT to port 25, a
     * browser's user agent included; {@code distinct} of them, each with texts of its own, written
     * in turn (with many, each is read from memory rather than from the cache). The file is on
     * {@code /dev/shm} where there is one, so that the disk is not what is measured.
     */
    @State(Scope.Thread)
    public static class FileOutput {
        @Param({"1", "65536"})
        int distinct;

        Alert[] alerts;
        int next;
        long written;
        Path dir;
        JsonLinesFileOutput output;

        @Setup
        public void open() throws IOException {
            Path shm = Path.of("/dev/shm");
            dir = Files.isDirectory(shm)
                    ? Files.createTempDirectory(shm, "mamori-bench")
                    : Files.createTempDirectory("mamori-bench");
            output = new JsonLinesFileOutput(dir.resolve("alerts.jsonl"), 64L << 20, 1);
            AlertBenchmark b = new AlertBenchmark();
            alerts = new Alert[distinct];
            for (int i = 0; i < distinct; i++) {
                String client = "10.1." + (i >> 8 & 0xFF) + "." + (i & 0xFF);
                String host = "mail" + i + ".example.test";
                ProxyEvent e = new ProxyEvent(
                        Instant.parse("2026-12-04T03:00:01.234Z").plusMillis(i),
                        client,
                        "CONNECT",
                        host + ":25",
                        host,
                        25,
                        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                                + " Chrome/120.0." + i + ".0 Safari/537.36",
                        0,
                        0,
                        "icap",
                        "CONNECT " + host + ":25");
                int at = i;
                b.rule.inspect(e, a -> alerts[at] = b.incidents.assign(a));
            }
        }

        @TearDown
        public void close() throws IOException {
            output.close();
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    @Benchmark
    public int fileOutput(FileOutput f) throws IOException {
        int at = f.next;
        f.output.write(f.alerts[at]);
        f.next = at + 1 == f.distinct ? 0 : at + 1;
        if (++f.written % 256 == 0) {
            f.output.flush();
        }
        return at;
    }

    /**
     * The JSON line alone, through {@link AlertJson#writeLine} (a buffer of its own each time) for a
     * short alert (a user agent of ten characters); kept as the sessions before measured it.
     */
    @Benchmark
    public int writeLine() throws IOException {
        out.reset();
        AlertJson.writeLine(alert, out);
        return out.size();
    }
}
