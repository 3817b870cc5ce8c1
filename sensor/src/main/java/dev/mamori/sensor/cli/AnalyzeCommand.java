package dev.mamori.sensor.cli;

import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.sensor.LogLevels;
import dev.mamori.sensor.Version;
import dev.mamori.sensor.alert.AlertPipeline;
import dev.mamori.sensor.alert.AlertRing;
import dev.mamori.sensor.alert.QueuedOutput;
import dev.mamori.sensor.alert.StreamOutput;
import dev.mamori.sensor.config.MamoriConfig;
import dev.mamori.sensor.ingest.BoundedLineReader;
import dev.mamori.sensor.ingest.LineRouter;
import dev.mamori.sensor.metrics.SensorMetrics;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Offline investigation: runs the same parsers and detections as {@code run} over log files, writes
 * alerts as JSON lines to stdout and a summary to stderr. Exits 1 when a file could not be read
 * (the others are still analysed).
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Analyse log files offline: alerts as JSON lines on stdout, a summary on stderr.")
final class AnalyzeCommand implements Callable<Integer> {

    /** Longer lines are skipped and counted: no log format Mamori reads has lines this long. */
    static final int MAX_LINE_BYTES = 1 << 20;

    @Mixin
    ConfigOption config;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "log files; - reads standard input")
    List<String> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        MamoriConfig c = config.load(err);
        if (c == null) {
            return Main.USAGE;
        }
        LogLevels.apply(c.logLevel());
        Map<String, Integer> byRule = new TreeMap<>();
        long lines = 0;
        long blank = 0;
        long tooLong = 0;
        int failedFiles = 0;
        try (SensorMetrics metrics = new SensorMetrics(Version.get())) {
            QueuedOutput stdout = new QueuedOutput(new StreamOutput("stdout", spec.commandLine().getOut()),
                    10_000, metrics, true);
            AlertPipeline pipeline = new AlertPipeline(List.of(stdout), new AlertRing(0), metrics);
            AlertSink counting = alert -> {
                synchronized (byRule) {
                    byRule.merge(alert.ruleId(), 1, Integer::sum);
                }
                pipeline.emit(alert);
            };
            LineRouter router = Formats.router(c, counting, metrics);
            for (String name : files) {
                try (InputStream in = name.equals("-") ? System.in : Files.newInputStream(Path.of(name))) {
                    BoundedLineReader reader = new BoundedLineReader(in, MAX_LINE_BYTES);
                    for (String line = reader.next(); line != null; line = reader.next()) {
                        lines++;
                        if (line.isBlank()) {
                            blank++;
                        } else {
                            router.route(line, ObserverInput.FILE);
                        }
                    }
                    tooLong += reader.tooLong();
                } catch (NoSuchFileException | FileNotFoundException e) {
                    err.println("mamori: " + name + ": no such file");
                    failedFiles++;
                } catch (IOException e) {
                    err.println("mamori: " + name + ": cannot read: " + e.getMessage());
                    failedFiles++;
                }
            }
            pipeline.close(c.sensor().shutdownTimeout());
            int alerts = byRule.values().stream().mapToInt(Integer::intValue).sum();
            err.printf("analyze: %d file(s), %d line(s): %d recognised, %d not recognised, %d blank, %d too long"
                    + " (over %d bytes); %d alert(s)%s%n",
                    files.size() - failedFiles, lines, router.recognised(), router.unrecognised(), blank, tooLong,
                    MAX_LINE_BYTES, alerts, byRule.isEmpty() ? "" : " " + byRule);
            if (router.formatNames().isEmpty()) {
                err.println("analyze: this build recognises no log formats yet; every line counts as not recognised");
            }
            err.flush();
        }
        return failedFiles > 0 ? Main.FAILURE : Main.OK;
    }
}
