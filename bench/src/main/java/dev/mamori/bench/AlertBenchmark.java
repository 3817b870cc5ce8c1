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
import dev.mamori.sensor.incident.IncidentBook;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An alert written as the JSON line the file output appends (what the alert writer thread does for
 * every alert): a CONNECT to a non-standard port as the ICAP input raises it; and the same alert
 * built by its rule and given its incident (what the event loop does for it).
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

    @Benchmark
    public int writeLine() throws IOException {
        out.reset();
        AlertJson.writeLine(alert, out);
        return out.size();
    }
}
