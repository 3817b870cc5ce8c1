package dev.mamori.bench;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.intel.Indicators;
import dev.mamori.detectors.state.TimeBasis;
import dev.mamori.protocols.syslog.SyslogMessage;
import dev.mamori.protocols.syslog.SyslogParser;
import dev.mamori.sensor.config.ConfigLoader;
import dev.mamori.sensor.config.MamoriConfig;
import dev.mamori.sensor.ingest.Ingest;
import dev.mamori.sensor.ingest.LineRouter;
import dev.mamori.sensor.ingest.LogRecord;
import dev.mamori.sensor.metrics.SensorMetrics;
import dev.mamori.sensor.review.ReviewBook;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The per-event path of a syslog line, as the sensor runs it on the embedded default configuration:
 * the syslog header parsed, the format recognised, the event parsed and run through every detection
 * of its family; alerts go to a sink that only counts them. One frame per operation, the inputs of
 * {@link Samples} for the family in turn.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class IngestBenchmark {

    /**
     * Which lines: firewall formats, the proxy access log, Windows events, all mixed, or lines no
     * format claims (loggen's generated messages: each is tried against every format).
     */
    @Param({"firewall", "proxy", "windows", "mixed", "unrecognised"})
    public String family;

    private SensorMetrics metrics;
    private SyslogParser syslog;
    private LineRouter router;
    private String[] frames;
    private int next;
    private long alerts;

    @Setup
    public void setup() throws Exception {
        MamoriConfig config = ConfigLoader.loadEmbedded();
        Clock clock = Clock.systemUTC();
        metrics = new SensorMetrics("bench");
        Ingest ingest = Ingest.build(
                () -> config,
                Indicators::empty,
                List::of,
                new AlertFactory(MessageCatalog.load(config.site().language()), clock),
                alert -> alerts++,
                metrics,
                TimeBasis.ARRIVAL,
                clock,
                ObserverInput.SYSLOG,
                new ReviewBook(config.site(), TimeBasis.ARRIVAL, clock, null, 1, 1));
        router = ingest.router();
        syslog = new SyslogParser(config.site().timezone(), clock);
        List<String> lines = new ArrayList<>();
        List<String> kinds = switch (family) {
            case "firewall" -> List.of("fortigate", "cisco-asa", "pan-os", "netfilter");
            case "proxy" -> List.of("squid");
            case "windows" -> List.of("windows-xml", "winlogbeat");
            case "unrecognised" -> List.of("loggen");
            default -> List.of("fortigate", "cisco-asa", "pan-os", "netfilter", "squid", "windows-xml");
        };
        for (String kind : kinds) {
            for (String s : Samples.of(kind)) {
                lines.add("<134>Dec  4 03:00:01 host1 " + s);
            }
        }
        frames = lines.toArray(String[]::new);
    }

    @Benchmark
    public Object line() {
        SyslogMessage m = syslog.parse(frames[next++ % frames.length], "192.0.2.1");
        return router.route(new LogRecord(m.message(), m.hostname(), m.timestamp(), ObserverInput.SYSLOG));
    }

    @TearDown(Level.Trial)
    public void close() {
        metrics.close();
    }
}
