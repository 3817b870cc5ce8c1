package dev.mamori.sensor.cli;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.evtx.EvtxException;
import dev.mamori.detectors.evtx.EvtxReader;
import dev.mamori.detectors.parse.ParseOutcome;
import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.detectors.proxy.ProxyLogParser;
import dev.mamori.detectors.proxy.UserAgentInventory;
import dev.mamori.detectors.state.TimeBasis;
import dev.mamori.protocols.syslog.SyslogMessage;
import dev.mamori.protocols.syslog.SyslogParser;
import dev.mamori.sensor.LogLevels;
import dev.mamori.sensor.Version;
import dev.mamori.sensor.alert.AlertGate;
import dev.mamori.sensor.alert.AlertPipeline;
import dev.mamori.sensor.alert.AlertRing;
import dev.mamori.sensor.alert.QueuedOutput;
import dev.mamori.sensor.alert.StreamOutput;
import dev.mamori.sensor.config.MamoriConfig;
import dev.mamori.sensor.ingest.BoundedLineReader;
import dev.mamori.sensor.ingest.Ingest;
import dev.mamori.sensor.ingest.LogRecord;
import dev.mamori.sensor.ingest.RecordReader;
import dev.mamori.sensor.intel.IntelStore;
import dev.mamori.sensor.metrics.SensorMetrics;
import dev.mamori.sensor.review.ReviewBook;
import dev.mamori.sensor.review.ReviewPage;
import dev.mamori.sensor.review.ReviewReports;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Offline investigation: runs the same parsers and detections as {@code run} over log files, writes
 * alerts as JSON lines to stdout and a summary to stderr. Each line may carry a syslog header or
 * not. Windows and bursts follow the times written in the logs. Exits 1 when a file could not be
 * read (the others are still analysed).
 */
@Command(
        name = "analyze",
        mixinStandardHelpOptions = true,
        description = "Analyse log files offline: alerts as JSON lines on stdout, a summary on stderr.")
final class AnalyzeCommand implements Callable<Integer> {

    /** Longer lines are skipped and counted: no log format Mamori reads has lines this long. */
    static final int MAX_LINE_BYTES = 1 << 20;
    /** A single Windows event in XML is a few KiB; bound one multi-line event the same way. */
    static final int MAX_RECORD_CHARS = 4 << 20;

    @Mixin
    ConfigOption config;

    @Option(names = "--summary", description = "also print the hourly firewall traffic summary (periodic review)")
    boolean summary;

    @Option(
            names = "--events",
            description = "instead of alerts, write every parsed event (Windows, firewall, proxy) as one JSON object"
                    + " per line")
    boolean events;

    @Option(
            names = "--report",
            paramLabel = "FILE.html",
            description = "also write the periodic review (firewall, proxy, authentication, alerts; one day or"
                    + " the whole period the logs cover) as an HTML page to FILE.html")
    Path report;

    @Option(
            names = "--inventory",
            paramLabel = "KIND",
            description = "instead of alerts, print an inventory; user-agents: one line per agent,"
                    + " <requests> TAB <distinct clients> TAB <agent>, most requests first")
    String inventory;

    @Option(
            names = "--allow-list",
            paramLabel = "FILE",
            description = "with --inventory user-agents: also write a starting allowed-user-agents list (one"
                    + " anchored, escaped pattern per agent) to FILE, to review before use")
    Path allowList;

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
        if (inventory != null && !inventory.equals("user-agents")) {
            err.println("mamori: --inventory: unknown kind '" + inventory + "' (user-agents)");
            return Main.USAGE;
        }
        if (allowList != null && inventory == null) {
            err.println("mamori: --allow-list needs --inventory user-agents");
            return Main.USAGE;
        }
        if (inventory != null) {
            return userAgents(c, err);
        }
        IntelStore intel = new IntelStore();
        try {
            intel.load(c.intel());
        } catch (IOException e) {
            err.println("mamori: " + e.getMessage());
            return Main.FAILURE;
        }
        Map<String, Integer> byRule = new TreeMap<>();
        long lines = 0;
        long blank = 0;
        long tooLong = 0;
        int failedFiles = 0;
        Clock clock = Clock.systemUTC();
        try (SensorMetrics metrics = new SensorMetrics(Version.get())) {
            QueuedOutput stdout = new QueuedOutput(
                    new StreamOutput("stdout", spec.commandLine().getOut()), 10_000, metrics, true);
            // Offline, the review is held in memory (up to 400 days) and written once, at the end.
            ReviewBook reviews = new ReviewBook(c.site(), TimeBasis.EVENT, clock, null, 400, 400);
            AlertPipeline pipeline = new AlertPipeline(
                    events ? List.of() : List.of(stdout),
                    new AlertRing(0),
                    metrics,
                    new AlertGate(List.of(), Duration.ZERO, 1),
                    null,
                    reviews::alert);
            AlertSink counting = alert -> {
                synchronized (byRule) {
                    byRule.merge(alert.ruleId(), 1, Integer::sum);
                }
                pipeline.emit(alert);
            };
            AlertFactory factory = new AlertFactory(MessageCatalog.load(c.site().language()), clock);
            Ingest ingest = Ingest.build(
                    () -> c,
                    intel,
                    intel::userAgents,
                    factory,
                    counting,
                    metrics,
                    TimeBasis.EVENT,
                    clock,
                    ObserverInput.FILE,
                    reviews);
            SyslogParser parser = new SyslogParser(c.site().timezone(), clock);
            PrintWriter out = spec.commandLine().getOut();
            long evtxRecords = 0;
            for (String name : files) {
                if (!name.equals("-") && isEvtx(Path.of(name))) {
                    try {
                        evtxRecords += evtx(Path.of(name), ingest, out, err);
                    } catch (IOException | EvtxException e) {
                        err.println("mamori: " + name + ": " + e.getMessage());
                        failedFiles++;
                    }
                    continue;
                }
                try (InputStream in = name.equals("-") ? System.in : Files.newInputStream(Path.of(name))) {
                    RecordReader reader = new RecordReader(new BoundedLineReader(in, MAX_LINE_BYTES), MAX_RECORD_CHARS);
                    for (String record = reader.next(); record != null; record = reader.next()) {
                        if (record.isBlank()) {
                            blank++;
                            continue;
                        }
                        SyslogMessage m = parser.parse(record, null);
                        ParseOutcome<?> outcome = ingest.router()
                                .route(new LogRecord(m.message(), m.hostname(), m.timestamp(), ObserverInput.FILE));
                        if (events && outcome instanceof ParseOutcome.Parsed<?> parsed) {
                            for (Object e : parsed.events()) {
                                String json = EventJson.toJson(e);
                                if (json != null) {
                                    out.println(json);
                                }
                            }
                        }
                    }
                    lines += reader.lines();
                    blank += reader.structural();
                    tooLong += reader.tooLong();
                } catch (NoSuchFileException | FileNotFoundException e) {
                    err.println("mamori: " + name + ": no such file");
                    failedFiles++;
                } catch (IOException e) {
                    err.println("mamori: " + name + ": cannot read: " + e.getMessage());
                    failedFiles++;
                }
            }
            ingest.drain(counting);
            pipeline.close(c.sensor().shutdownTimeout());
            int alerts = byRule.values().stream().mapToInt(Integer::intValue).sum();
            if (evtxRecords > 0) {
                err.printf("analyze: %d record(s) from EVTX files%n", evtxRecords);
            }
            err.printf(
                    "analyze: %d file(s), %d line(s): %d recognised, %d malformed, %d not recognised, %d blank,"
                            + " %d too long (over %d bytes); %d alert(s)%s%n",
                    files.size() - failedFiles,
                    lines,
                    ingest.router().recognised(),
                    ingest.router().failed(),
                    ingest.router().unrecognised(),
                    blank,
                    tooLong,
                    MAX_LINE_BYTES,
                    alerts,
                    byRule.isEmpty() ? "" : " " + byRule);
            if (summary) {
                err.print(SummaryText.firewall(ingest.firewallSummary().recent(48, 10)));
            }
            if (report != null) {
                String page = new ReviewReports(
                                reviews,
                                new ReviewPage(c.site().language(), c.site().timezone()))
                        .held();
                try {
                    Files.writeString(report, page, StandardCharsets.UTF_8);
                    err.println("analyze: review of " + reviews.openDates().size() + " day(s) written to " + report);
                } catch (IOException e) {
                    err.println("mamori: --report: cannot write " + report + ": " + e.getMessage());
                    failedFiles++;
                }
            }
            err.flush();
        }
        return failedFiles > 0 ? Main.FAILURE : Main.OK;
    }

    /** Whether the file starts with the EVTX signature, whatever it is called. */
    private static boolean isEvtx(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return EvtxReader.isEvtx(in.readNBytes(8));
        } catch (IOException e) {
            return false; // the text path reports the file as unreadable
        }
    }

    /**
     * Reads an EVTX file's records into the Windows detections (and, with {@code --events}, to the
     * output); says on stderr what was read and what was skipped.
     */
    private long evtx(Path file, Ingest ingest, PrintWriter out, PrintWriter err) throws IOException, EvtxException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() > Integer.MAX_VALUE) {
                throw new IOException("larger than 2 GiB");
            }
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            EvtxReader.Summary s = EvtxReader.read(map, e -> {
                if (events) {
                    out.println(EventJson.toJson(e));
                }
                ingest.windowsEvent(e, ObserverInput.FILE);
            });
            err.printf(
                    "analyze: %s: EVTX, %d record(s) in %d chunk(s)%s%n",
                    file,
                    s.records(),
                    s.chunks(),
                    s.damaged()
                            ? String.format(
                                    Locale.ROOT,
                                    "; damaged: %d chunk(s) and %d record(s) skipped, %d chunk(s) with a CRC"
                                            + " mismatch",
                                    s.chunksSkipped(),
                                    s.recordsSkipped(),
                                    s.chunksCrcMismatch())
                            : "");
            for (String p : s.problems()) {
                err.println("analyze: " + file + ": " + p);
            }
            return s.records();
        }
    }

    /** {@code --inventory user-agents}: every agent in the proxy lines, most used first. */
    private int userAgents(MamoriConfig c, PrintWriter err) {
        ProxyLogParser proxy = new ProxyLogParser(c.squidLogformats());
        UserAgentInventory inv = new UserAgentInventory(100_000, 100_000);
        SyslogParser syslog = new SyslogParser(c.site().timezone(), Clock.systemUTC());
        int failedFiles = 0;
        long lines = 0;
        long proxyLines = 0;
        for (String name : files) {
            try (InputStream in = name.equals("-") ? System.in : Files.newInputStream(Path.of(name))) {
                RecordReader reader = new RecordReader(new BoundedLineReader(in, MAX_LINE_BYTES), MAX_RECORD_CHARS);
                for (String record = reader.next(); record != null; record = reader.next()) {
                    if (record.isBlank()) {
                        continue;
                    }
                    if (proxy.parse(syslog.parse(record, null).message())
                            instanceof ParseOutcome.Parsed<ProxyEvent> p) {
                        proxyLines++;
                        p.events().forEach(inv::add);
                    }
                }
                lines += reader.lines();
            } catch (IOException e) {
                err.println("mamori: " + name + ": cannot read: " + e.getMessage());
                failedFiles++;
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        List<UserAgentInventory.Entry> entries = inv.entries();
        for (UserAgentInventory.Entry e : entries) {
            out.println(e.requests() + "\t" + e.clients() + "\t" + e.agent());
        }
        out.flush();
        if (allowList != null) {
            StringBuilder list = new StringBuilder("# Starting allow-list from mamori analyze --inventory user-agents:"
                    + " one line per agent seen, most used first.\n# Review it: delete what the organisation does"
                    + " not use, and widen versions (e.g. Chrome/\\d+) where wanted.\n");
            entries.forEach(
                    e -> list.append(UserAgentInventory.allowPattern(e.agent())).append('\n'));
            try {
                Files.writeString(allowList, list);
            } catch (IOException e) {
                err.println("mamori: --allow-list: cannot write " + allowList + ": " + e.getMessage());
                return Main.FAILURE;
            }
        }
        err.printf(
                "inventory: %d line(s), %d proxy request(s), %d user agent(s); %d request(s) from formats without"
                        + " a user agent%n",
                lines, proxyLines, entries.size(), inv.withoutAgent());
        err.flush();
        return failedFiles > 0 ? Main.FAILURE : Main.OK;
    }
}
