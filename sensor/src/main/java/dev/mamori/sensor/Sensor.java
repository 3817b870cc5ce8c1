package dev.mamori.sensor;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.sigma.SigmaRules;
import dev.mamori.detectors.site.IpSet;
import dev.mamori.detectors.state.TimeBasis;
import dev.mamori.protocols.http.HttpServer;
import dev.mamori.protocols.icap.IcapServer;
import dev.mamori.protocols.smtp.SmtpServer;
import dev.mamori.protocols.smtp.SmtpSession;
import dev.mamori.protocols.syslog.SyslogParser;
import dev.mamori.protocols.syslog.SyslogServer;
import dev.mamori.protocols.transport.BoundListener;
import dev.mamori.protocols.transport.ClientGate;
import dev.mamori.protocols.transport.EventLoops;
import dev.mamori.protocols.transport.Listener;
import dev.mamori.protocols.transport.ListenerException;
import dev.mamori.protocols.transport.TlsContexts;
import dev.mamori.protocols.transport.Transport;
import dev.mamori.sensor.alert.AlertGate;
import dev.mamori.sensor.alert.AlertOutput;
import dev.mamori.sensor.alert.AlertPipeline;
import dev.mamori.sensor.alert.AlertRing;
import dev.mamori.sensor.alert.JsonLinesFileOutput;
import dev.mamori.sensor.alert.QueuedOutput;
import dev.mamori.sensor.alert.Spool;
import dev.mamori.sensor.alert.SpooledOutput;
import dev.mamori.sensor.alert.SyslogOutput;
import dev.mamori.sensor.alert.WebhookOutput;
import dev.mamori.sensor.config.ConfigError;
import dev.mamori.sensor.config.ConfigException;
import dev.mamori.sensor.config.ConfigLoader;
import dev.mamori.sensor.config.ConfigResource;
import dev.mamori.sensor.config.MamoriConfig;
import dev.mamori.sensor.config.Secrets;
import dev.mamori.sensor.config.WebConfig;
import dev.mamori.sensor.http.HttpAccess;
import dev.mamori.sensor.http.ListenerRegistry;
import dev.mamori.sensor.http.SensorApi;
import dev.mamori.sensor.incident.IncidentBook;
import dev.mamori.sensor.ingest.Ingest;
import dev.mamori.sensor.ingest.ProxyIcapService;
import dev.mamori.sensor.ingest.SmtpMailService;
import dev.mamori.sensor.ingest.SyslogIntake;
import dev.mamori.sensor.ingest.UdpKernelDrops;
import dev.mamori.sensor.intel.IntelStore;
import dev.mamori.sensor.kafka.FollowUps;
import dev.mamori.sensor.kafka.KafkaAlertOutput;
import dev.mamori.sensor.kafka.KafkaIntake;
import dev.mamori.sensor.metrics.SensorMetrics;
import dev.mamori.sensor.review.ReviewBook;
import dev.mamori.sensor.review.ReviewPage;
import dev.mamori.sensor.review.ReviewReports;
import dev.mamori.sensor.state.SnapshotFile;
import io.micrometer.core.instrument.Counter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running appliance. {@link #start} brings up outputs, then the HTTP endpoint (so {@code /health}
 * can say "starting"), then the inputs; {@link #stop} takes them down in the opposite order: inputs
 * stop accepting, in-flight work drains, outputs flush and fsync, and the endpoint goes last.
 */
public final class Sensor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Sensor.class);

    private final MamoriConfig config;
    /** Checks HTTP logins (bcrypt is slow by design) off the event loops; a small bounded queue. */
    private final ThreadPoolExecutor loginChecks =
            new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), r -> {
                Thread t = new Thread(r, "mamori-http-login");
                t.setDaemon(true);
                return t;
            });

    private final SensorMetrics metrics;
    private final AlertPipeline pipeline;
    private final AlertFactory alertFactory;
    private final ListenerRegistry listeners = new ListenerRegistry();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final IntelStore intel = new IntelStore();
    /** The configuration in force; a list reload swaps in the re-read file (account lists follow it). */
    private final AtomicReference<MamoriConfig> current = new AtomicReference<>();

    private final Ingest ingest;
    private final ReviewBook reviews;
    private final ScheduledExecutorService ticker;
    private EventLoops loops;
    private HttpServer http;
    private volatile KafkaIntake kafka;
    private FollowUps followUps;
    /** The inputs' servers, in start order; stopped before the HTTP endpoint, which goes last. */
    private final List<Listener> inputs = new ArrayList<>();

    private String listFingerprint = "";
    private final List<SnapshotFile<?>> snapshots = new ArrayList<>();

    private Sensor(MamoriConfig config, SensorMetrics metrics, AlertPipeline pipeline, ReviewBook reviews) {
        this.config = config;
        this.reviews = reviews;
        this.metrics = metrics;
        this.pipeline = pipeline;
        Clock clock = Clock.systemUTC();
        this.alertFactory = new AlertFactory(MessageCatalog.load(config.site().language()), clock);
        this.current.set(config);
        this.ingest = Ingest.build(
                current::get,
                intel,
                intel::userAgents,
                alertFactory,
                pipeline,
                metrics,
                TimeBasis.ARRIVAL,
                clock,
                ObserverInput.SYSLOG,
                reviews);
        Path stateDir = config.sensor().stateDir();
        if (config.inputs().kafka() == null) {
            // With Kafka the detections' state belongs to partitions and lives in the state topic.
            for (Ingest.Kept kept : ingest.persistent()) {
                snapshots.add(SnapshotFile.of(stateDir, kept.ruleId(), kept.detection()));
            }
        }
        snapshots.add(SnapshotFile.of(stateDir, "sources", ingest.sources()));
        snapshots.add(SnapshotFile.of(stateDir, "incidents", pipeline.incidents()));
        snapshots.forEach(SnapshotFile::load);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mamori-ticker");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts everything the configuration asks for.
     *
     * @throws ListenerException when a listener cannot bind (everything started so far is stopped)
     * @throws IOException when the alert file cannot be opened
     */
    public static Sensor start(MamoriConfig config) throws ListenerException, IOException {
        String version = Version.get();
        SensorMetrics metrics = new SensorMetrics(version);
        List<QueuedOutput> outputs = new ArrayList<>();
        MamoriConfig.FileOutput file = config.outputs().file();
        if (file != null) {
            JsonLinesFileOutput out;
            try {
                out = new JsonLinesFileOutput(file.path(), file.maxSize(), file.maxFiles());
            } catch (IOException e) {
                metrics.close();
                throw new IOException("outputs.file.path: cannot open " + file.path() + ": " + e, e);
            }
            if (out.tornBytes() > 0) {
                // the half-written line of a crash: one alert lost, now counted; the rest is intact
                metrics.alertOutputDropped("file", "torn_tail").increment();
                log.warn(
                        "alerts: {} ended in a half-written line ({} bytes, left by a crash); cut back to the last"
                                + " complete alert",
                        out.path(),
                        out.tornBytes());
            }
            outputs.add(new QueuedOutput(out, file.queue(), metrics, file.filter()));
            log.info(
                    "alerts: writing JSON lines to {} (rotated at {} bytes, {} files kept)",
                    out.path(),
                    file.maxSize(),
                    file.maxFiles());
        }
        MamoriConfig.SyslogOutput sy = config.outputs().syslog();
        if (sy != null) {
            SSLSocketFactory tls = null;
            if (sy.protocol().equals("tls")) {
                try {
                    tls = TlsContexts.clientSocketFactory(sy.ca());
                } catch (IOException | GeneralSecurityException e) {
                    metrics.close();
                    throw new IOException("outputs.syslog.ca: cannot use " + sy.ca() + ": " + e.getMessage(), e);
                }
            }
            outputs.add(new QueuedOutput(
                    spooled(
                            new SyslogOutput(new SyslogOutput.Settings(
                                    sy.host(),
                                    sy.port(),
                                    sy.protocol(),
                                    sy.format(),
                                    tls,
                                    ConfigLoader.hostName(),
                                    version)),
                            sy.spool(),
                            metrics),
                    sy.queue(),
                    metrics,
                    sy.filter()));
            log.info("alerts: forwarding to {}:{} over {} as {}", sy.host(), sy.port(), sy.protocol(), sy.format());
        }
        MamoriConfig.WebhookOutput hook = config.outputs().webhook();
        if (hook != null) {
            outputs.add(new QueuedOutput(
                    spooled(
                            new WebhookOutput(new WebhookOutput.Settings(
                                    URI.create(hook.url()), hook.timeout(), hook.retries(), hook.backoff())),
                            hook.spool(),
                            metrics),
                    hook.queue(),
                    metrics,
                    hook.filter()));
            log.info("alerts: posting to {}", Secrets.redactUrl(hook.url()));
        }
        MamoriConfig.KafkaOutput kafkaOut = config.outputs().kafka();
        if (kafkaOut != null) {
            String instance = config.inputs().kafka() != null
                    ? config.inputs().kafka().instance()
                    : ConfigLoader.hostName() + "-" + config.inputs().http().port();
            outputs.add(new QueuedOutput(
                    spooled(new KafkaAlertOutput(kafkaOut, instance), kafkaOut.spool(), metrics),
                    kafkaOut.queue(),
                    metrics,
                    kafkaOut.filter()));
            log.info(
                    "alerts: producing to Kafka topic {} at {}",
                    kafkaOut.topic(),
                    String.join(",", kafkaOut.bootstrapServers()));
        }
        // Today and yesterday are held in memory (late lines of yesterday still count); older days are files.
        ReviewBook reviews = new ReviewBook(
                config.site(),
                TimeBasis.ARRIVAL,
                Clock.systemUTC(),
                config.sensor().stateDir().resolve("reviews"),
                config.sensor().reviewDays(),
                3);
        AlertPipeline pipeline = new AlertPipeline(
                outputs,
                new AlertRing(config.inputs().http().recentAlerts()),
                metrics,
                new AlertGate(config.alerts().suppress(), config.alerts().dedupeWindow(), 100_000),
                new IncidentBook(
                        config.alerts().incidentWindow(),
                        10_000,
                        MessageCatalog.load(config.site().language())),
                reviews::alert);
        Sensor sensor = new Sensor(config, metrics, pipeline, reviews);
        try {
            sensor.intel.load(config.intel());
            sensor.startListeners();
        } catch (ListenerException | IOException | RuntimeException e) {
            sensor.stop();
            throw e;
        }
        return sensor;
    }

    private void startListeners() throws ListenerException {
        loops = new EventLoops(config.sensor().ioThreads(), config.sensor().io());
        MamoriConfig.SyslogInput sy = config.inputs().syslog();
        listeners.expect(1
                + (sy.enabled()
                        ? (sy.udpPort() >= 0 ? 1 : 0) + (sy.tcpPort() >= 0 ? 1 : 0) + (sy.tlsPort() >= 0 ? 1 : 0)
                        : 0)
                + (config.inputs().icap().enabled() ? 1 : 0)
                + (config.inputs().smtp().enabled() ? 1 : 0));
        MamoriConfig.HttpInput h = config.inputs().http();
        SensorApi api = new SensorApi(
                metrics,
                listeners,
                pipeline.recent(),
                ingest.firewallSummary(),
                Version.get(),
                () -> reload("POST /api/reload"),
                ingest.sources(),
                pipeline.incidents(),
                new ReviewReports(
                        reviews,
                        new ReviewPage(config.site().language(), config.site().timezone())),
                ticker,
                config.inputs().kafka() == null ? null : this::kafkaHealth);
        WebConfig web = h.webConfig();
        SslContext httpsContext = null;
        if (web != null && web.tls()) {
            try {
                httpsContext = TlsContexts.server(
                        web.certificate(),
                        web.key(),
                        switch (web.clientAuth()) {
                            case NoClientCert -> ClientAuth.NONE;
                            case RequestClientCert, VerifyClientCertIfGiven -> ClientAuth.OPTIONAL;
                            case RequireAnyClientCert, RequireAndVerifyClientCert -> ClientAuth.REQUIRE;
                        },
                        web.clientAuth() == WebConfig.ClientAuth.VerifyClientCertIfGiven
                                        || web.clientAuth() == WebConfig.ClientAuth.RequireAndVerifyClientCert
                                ? web.clientCa()
                                : null,
                        web.minVersion().equals("TLS13"));
            } catch (IllegalArgumentException e) {
                throw new ListenerException("http", "tls", InetSocketAddress.createUnresolved(h.bind(), h.port()), e);
            }
        }
        boolean apiLocked = (web == null || !web.authenticates()) && !h.unauthenticatedApi() && !loopback(h.bind());
        for (String input : List.of("syslog", "smtp", "icap", "http")) {
            metrics.connectionsRefused(input); // exported at 0 from the start
        }
        HttpAccess access = new HttpAccess(
                api.router(),
                web == null ? Map.of() : web.users(),
                new HashSet<>(h.publicPaths()),
                apiLocked,
                loginChecks);
        http = HttpServer.bind(
                new InetSocketAddress(h.bind(), h.port()),
                loops,
                access,
                gate("http", h.allowedClients()),
                httpsContext);
        http.bindings().forEach(this::announce);
        if (sy.enabled()) {
            SslContext tls = sy.tls() == null ? null : tls("syslog", "tls", sy.bind(), sy.tlsPort(), sy.tls());
            SyslogServer syslog = SyslogServer.start(
                    new SyslogServer.Settings(
                            sy.bind(),
                            sy.udpPort(),
                            sy.tcpPort(),
                            sy.tlsPort(),
                            sy.maxMessageSize(),
                            sy.maxConnections(),
                            sy.idleTimeout(),
                            sy.udpReceiveBuffer(),
                            tls,
                            gate("syslog", sy.allowedClients())),
                    loops,
                    new SyslogParser(config.site().timezone(), Clock.systemUTC()),
                    new SyslogIntake(ingest.router(), metrics));
            start(syslog);
            BoundListener udp = listeners.find("syslog", "udp");
            if (udp != null) {
                metrics.functionCounter(
                        SensorMetrics.EVENTS_DROPPED,
                        "Frames or messages not processed, by reason",
                        new UdpKernelDrops(udp.port())::read,
                        "input",
                        "syslog",
                        "reason",
                        "udp_receive_buffer");
            }
        }
        MamoriConfig.SmtpInput sm = config.inputs().smtp();
        if (sm.enabled()) {
            MamoriConfig.HostPort next = sm.nextHopAddress();
            SmtpServer smtp = SmtpServer.start(
                    new SmtpServer.Settings(
                            sm.bind(),
                            sm.port(),
                            sm.maxConnections(),
                            sm.idleTimeout(),
                            sm.workers(),
                            new SmtpSession.Settings(
                                    sm.hostname(),
                                    sm.maxMessageSize(),
                                    sm.maxRecipients(),
                                    next.host(),
                                    next.port(),
                                    sm.nextHopTimeout()),
                            sm.tls() == null ? null : tls("smtp", "starttls", sm.bind(), sm.port(), sm.tls()),
                            sm.maxBuffered(),
                            gate("smtp", sm.allowedClients())),
                    loops,
                    new SmtpMailService(ingest.mailDetections(), sm.action(), pipeline, Clock.systemUTC(), metrics));
            SmtpServer server = smtp;
            metrics.gauge(
                    "mamori.smtp.buffered.bytes",
                    "Message bytes the SMTP relay hook holds (limit: max_buffered)",
                    server::bufferedBytes);
            start(smtp);
        }
        MamoriConfig.IcapInput ic = config.inputs().icap();
        MamoriConfig.KafkaInput kin = config.inputs().kafka();
        if (ic.enabled()) {
            String build = Version.get();
            // With Kafka, the rules whose state follows the client's partition run where it is held.
            List<Detection<ProxyEvent>> inline = new ArrayList<>(ingest.proxyDetections());
            Consumer<ProxyEvent> followUp = e -> {};
            if (kin != null) {
                inline.removeAll(ingest.followUps());
                followUps = new FollowUps(kin, metrics);
                followUp = followUps;
            }
            ProxyIcapService service = new ProxyIcapService(
                    inline,
                    ic.action().equals("block"),
                    new HashSet<>(ic.block()),
                    pipeline,
                    () -> "mamori-" + build + "-" + intel.version(),
                    Clock.systemUTC(),
                    metrics,
                    followUp);
            IcapServer icap = IcapServer.start(
                    new IcapServer.Settings(
                            ic.bind(),
                            ic.port(),
                            ic.maxConnections(),
                            ic.maxHeaderSize(),
                            64 * 1024,
                            ic.idleTimeout(),
                            gate("icap", ic.allowedClients())),
                    loops,
                    service);
            start(icap);
        }
        if (kin != null) {
            kafka = new KafkaIntake(
                    kin,
                    ingest.router(),
                    ingest.persistent(),
                    pipeline,
                    new SyslogParser(config.site().timezone(), Clock.systemUTC()),
                    metrics);
            kafka.start();
        }
        ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        listFingerprint = fingerprint();
        ticker.scheduleWithFixedDelay(this::reloadOnChange, 2, 2, TimeUnit.SECONDS);
        Sighup.install(() -> reload("SIGHUP"));
        ticker.scheduleWithFixedDelay(
                () -> {
                    snapshots.forEach(SnapshotFile::save);
                    reviews.save();
                },
                10,
                10,
                TimeUnit.MINUTES);
        listeners.up();
        config.warnings().forEach(w -> log.warn("configuration: {}", w));
        log.info(
                "Mamori {} up with {} ({} transport, {})",
                Version.get(),
                config.source(),
                loops.transport().label(),
                loops.describe());
    }

    /** The input's TLS set-up; a failure names that input, as a bind failure would. */
    private static SslContext tls(String input, String transport, String bind, int port, MamoriConfig.Tls t)
            throws ListenerException {
        try {
            return TlsContexts.server(t.certificate(), t.key(), t.clientCa());
        } catch (IllegalArgumentException e) {
            throw new ListenerException(input, transport, InetSocketAddress.createUnresolved(bind, port), e);
        }
    }

    /**
     * The output behind its spool when one is configured, with the spool's metrics; the output
     * itself when not.
     */
    private static AlertOutput spooled(AlertOutput output, MamoriConfig.SpoolSettings settings, SensorMetrics metrics)
            throws IOException {
        if (settings == null) {
            return output;
        }
        Spool spool;
        try {
            spool = new Spool(settings.path(), settings.maxSize());
        } catch (IOException e) {
            metrics.close();
            throw new IOException(
                    "outputs." + output.name() + ".spool.path: cannot use " + settings.path() + ": " + e.getMessage(),
                    e);
        }
        SpooledOutput s = new SpooledOutput(output, spool);
        metrics.gauge(
                "mamori.output.spool.bytes",
                "Bytes of alerts waiting in an output's spool",
                s::pendingBytes,
                "output",
                output.name());
        metrics.gauge(
                "mamori.output.spool.oldest.seconds",
                "Age of the oldest alert waiting in an output's spool",
                s::oldestSeconds,
                "output",
                output.name());
        metrics.functionCounter(
                SensorMetrics.ALERT_OUTPUT_DROPPED,
                "Alerts an output could not take, by reason",
                s::dropped,
                "output",
                output.name(),
                "reason",
                "spool_full");
        log.info("alerts: {} spooled in {} (at most {} bytes)", output.name(), settings.path(), settings.maxSize());
        return s;
    }

    /** The gate of one input: its allowed_clients, refusals counted in mamori_connections_refused_total. */
    private ClientGate gate(String input, MamoriConfig.AllowedClients allowed) {
        Counter refused = metrics.connectionsRefused(input);
        if (allowed.anyone()) {
            return new ClientGate(input, a -> true, "anyone", a -> refused.increment());
        }
        IpSet set = IpSet.of(allowed.blocks());
        return new ClientGate(
                input,
                a -> set.contains(a.getHostAddress()),
                String.join(", ", allowed.blocks()),
                a -> refused.increment());
    }

    private static boolean loopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private void start(Listener input) {
        inputs.add(input);
        input.bindings().forEach(this::announce);
    }

    private void announce(BoundListener b) {
        listeners.bound(b);
        log.info("listening: {} {} on {}:{}", b.name(), b.transport(), b.host(), b.port());
    }

    /**
     * Re-reads the intel lists on the ticker thread (never on an event loop: the files may be
     * large). Listeners and connections are untouched; a refused reload keeps the current lists.
     */
    public CompletableFuture<IntelStore.ReloadResult> reload(String trigger) {
        return CompletableFuture.supplyAsync(
                () -> {
                    IntelStore.ReloadResult r = reloadLists();
                    log.info("intel: reload on {}: {}", trigger, r.ok() ? "done" : "refused");
                    return r;
                },
                ticker);
    }

    /**
     * Re-reads the configuration file for its account lists (privileged accounts, expected hosts,
     * denied accounts) and the list files it names; other changes in the file need a restart. An
     * invalid file or list refuses the whole reload.
     */
    private IntelStore.ReloadResult reloadLists() {
        MamoriConfig fresh = config;
        Path source = config.source().startsWith("embedded:") ? null : Path.of(config.source());
        if (source != null) {
            try {
                fresh = ConfigLoader.load(source);
            } catch (ConfigException e) {
                metrics.intelReloads("failed").increment();
                log.warn("intel: reload refused, {} is invalid; the current lists stay", source);
                return new IntelStore.ReloadResult(
                        false,
                        intel.get().size(),
                        intel.userAgents().size(),
                        e.errors().stream().map(ConfigError::toString).toList());
            }
        }
        IntelStore.ReloadResult r = intel.reload(fresh.intel());
        if (r.ok()) {
            current.set(fresh);
            reloadSigma(fresh);
        }
        metrics.intelReloads(r.ok() ? "ok" : "failed").increment();
        return r;
    }

    /**
     * Re-reads the Sigma rule files with the lists (a rule file that no longer compiles is refused,
     * the others load); rules from the start's folders only, since which folders is a restart's
     * business like the other detector settings.
     */
    private void reloadSigma(MamoriConfig fresh) {
        if (ingest.sigma() == null || fresh.sigma() == null) {
            return;
        }
        try {
            Ingest.reloadSigma(ingest.sigma(), fresh.sigma());
        } catch (IOException e) {
            log.warn("sigma: reload refused, {}; the rules in force stay", e.getMessage());
        }
    }

    /** mtime and size of every list and Sigma rule file read from disk; a change triggers a reload. */
    private String fingerprint() {
        StringBuilder b = new StringBuilder();
        List<ConfigResource> files = new ArrayList<>();
        if (!config.source().startsWith("embedded:")) {
            files.add(new ConfigResource.FileResource(Path.of(config.source())));
        }
        config.intel().indicatorFiles().forEach(f -> files.add(f.resource()));
        files.add(config.intel().allowedUserAgentsFile());
        List<Path> paths = new ArrayList<>();
        for (ConfigResource r : files) {
            if (r instanceof ConfigResource.FileResource f) {
                paths.add(f.path());
            }
        }
        if (config.sigma() != null) {
            // rule files added, changed or removed under the configured folders
            try {
                paths.addAll(SigmaRules.files(config.sigma().rules()));
            } catch (IOException e) {
                b.append("sigma: ").append(e.getMessage()).append(';');
            }
        }
        for (Path p : paths) {
            try {
                b.append(p)
                        .append('=')
                        .append(Files.getLastModifiedTime(p).toMillis())
                        .append(':')
                        .append(Files.size(p))
                        .append(';');
            } catch (IOException e) {
                b.append(p).append("=missing;");
            }
        }
        return b.toString();
    }

    private void reloadOnChange() {
        String now = fingerprint();
        if (!now.equals(listFingerprint)) {
            listFingerprint = now;
            IntelStore.ReloadResult r = reloadLists();
            log.info("intel: reload on file change: {}", r.ok() ? "done" : "refused");
        }
    }

    private void tick() {
        try {
            Instant now = Instant.now();
            ingest.tick(now, pipeline);
            pipeline.tick(now);
            reviews.tick(now).forEach(ingest.sensorRules()::notice);
        } catch (RuntimeException e) {
            log.error("detection timer failed", e);
        }
    }

    private Map<String, Object> kafkaHealth() {
        Map<String, Object> k = new LinkedHashMap<>();
        KafkaIntake in = kafka;
        k.put("group", config.inputs().kafka().group());
        k.put("instance", config.inputs().kafka().instance());
        k.put("assigned", in == null ? List.of() : in.assignment());
        return k;
    }

    /** The ingest wiring, for tests that feed lines without a socket. */
    public Ingest ingest() {
        return ingest;
    }

    /** The sockets' transport, as {@code sensor.io} chose it. */
    public Transport transport() {
        return loops.transport();
    }

    public MamoriConfig config() {
        return config;
    }

    public SensorMetrics metrics() {
        return metrics;
    }

    /** Where detections and tests emit alerts. */
    public AlertPipeline alerts() {
        return pipeline;
    }

    public AlertFactory alertFactory() {
        return alertFactory;
    }

    public ListenerRegistry listeners() {
        return listeners;
    }

    /** The bound HTTP port (useful when configured as 0). */
    public int httpPort() {
        return http.bound().port();
    }

    /** Stops in order and waits for outputs to be durable; safe to call more than once. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        long t0 = System.nanoTime();
        log.info("stopping: draining in-flight work and flushing outputs");
        listeners.stopping();
        inputs.forEach(Listener::stopAccepting);
        for (Listener input : inputs) {
            input.closeConnections(config.sensor().shutdownTimeout());
        }
        if (followUps != null) {
            followUps.close();
        }
        if (kafka != null) {
            kafka.close(); // commits what it consumed, once the outputs have its alerts
        }
        ticker.shutdownNow();
        loginChecks.shutdownNow();
        try {
            ticker.awaitTermination(config.sensor().shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Listeners are closed, so nothing feeds the detections any more: let held alerts out.
        ingest.drain(pipeline);
        snapshots.forEach(SnapshotFile::save);
        pipeline.close(config.sensor().shutdownTimeout());
        reviews.save(); // after the pipeline: the last alerts are in the day's review
        if (http != null) {
            http.close();
        }
        if (loops != null) {
            loops.shutdown(config.sensor().shutdownTimeout());
        }
        metrics.close();
        log.info("stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public void close() {
        stop();
    }
}
