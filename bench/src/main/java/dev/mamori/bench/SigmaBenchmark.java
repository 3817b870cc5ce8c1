package dev.mamori.bench;

import dev.mamori.detectors.alert.Language;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.evtx.EvtxReader;
import dev.mamori.detectors.sigma.SigmaEngine;
import dev.mamori.detectors.sigma.SigmaRules;
import dev.mamori.detectors.state.TimeBasis;
import dev.mamori.detectors.windows.WindowsEvent;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Windows events per second through the Sigma engine with SigmaHQ's {@code rules/windows} loaded
 * (every status), on the events of the EVTX samples, one event per operation. Paths from the system
 * properties {@code mamori.sigma.rules} and {@code mamori.evtx} (defaults: ../shared/...).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class SigmaBenchmark {

    /** With the literal prefilter (as the sensor runs) or evaluating every rule of the logsource. */
    @Param({"true", "false"})
    public boolean prefilter;

    private SigmaEngine engine;
    private WindowsEvent[] events;
    private int next;
    private int rules;

    @Setup
    public void setup() throws Exception {
        Path rulesDir = Path.of(System.getProperty("mamori.sigma.rules", "../shared/sigma/rules/windows"));
        Path evtx = Path.of(System.getProperty("mamori.evtx", "../shared/corpus/evtx-attack"));
        SigmaRules.Loaded loaded =
                SigmaRules.load(List.of(rulesDir), Set.of("stable", "test", "experimental"), Severity.LOW, true);
        rules = loaded.size();
        engine = new SigmaEngine(
                loaded,
                MessageCatalog.load(Language.EN),
                ObserverInput.FILE,
                Clock.systemUTC(),
                100_000,
                TimeBasis.EVENT,
                prefilter);
        List<WindowsEvent> read = new ArrayList<>();
        try (Stream<Path> s = Files.walk(evtx)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".evtx")).sorted().toList()) {
                EvtxReader.read(ByteBuffer.wrap(Files.readAllBytes(f)), read::add);
            }
        }
        if (read.isEmpty() || rules < 1000) {
            throw new IllegalStateException(
                    "no events under " + evtx + " or few rules (" + rules + ") under " + rulesDir);
        }
        events = read.toArray(WindowsEvent[]::new);
    }

    @Benchmark
    public void windowsEvent(Blackhole alerts) {
        WindowsEvent e = events[next];
        next = next + 1 == events.length ? 0 : next + 1;
        engine.windows(e, alerts::consume);
    }
}
