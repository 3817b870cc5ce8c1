package dev.mamori.sensor.ingest;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.firewall.FirewallEvent;
import dev.mamori.detectors.firewall.FirewallParsers;
import dev.mamori.detectors.firewall.TrafficSummary;
import dev.mamori.detectors.intel.Indicators;
import dev.mamori.detectors.mail.MailMessage;
import dev.mamori.detectors.mail.PostfixWarningParser;
import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.detectors.proxy.ProxyLogParser;
import dev.mamori.detectors.registry.Rules;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.DetectionContext;
import dev.mamori.detectors.rule.MultiKeyed;
import dev.mamori.detectors.rule.Persistent;
import dev.mamori.detectors.rule.RuleOptions;
import dev.mamori.detectors.rule.RuleSpec;
import dev.mamori.detectors.rule.Stateful;
import dev.mamori.detectors.sensor.SensorEvent;
import dev.mamori.detectors.sigma.SigmaEngine;
import dev.mamori.detectors.sigma.SigmaRuleSet;
import dev.mamori.detectors.site.SiteProfile;
import dev.mamori.detectors.state.TimeBasis;
import dev.mamori.detectors.windows.WindowsEvent;
import dev.mamori.detectors.windows.WindowsParsers;
import dev.mamori.sensor.config.MamoriConfig;
import dev.mamori.sensor.health.SourceTracker;
import dev.mamori.sensor.metrics.SensorMetrics;
import dev.mamori.sensor.review.ReviewBook;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles formats and detections from the configuration: every enabled rule of
 * {@link Rules#ALL} built from its spec, and handed to the format that carries its kind of event.
 * The same wiring serves the live sensor (arrival time, {@code observer.input} of the input) and
 * {@code analyze} (event time, {@code file}), so both run the same code on a line. Nothing here
 * knows a rule by name: what a detection can do (keyed state, state kept across restarts) is read off
 * the detection itself, and inline verdicts come from the findings rules report.
 */
public final class Ingest {

    private static final Logger log = LoggerFactory.getLogger(Ingest.class);

    /** A detection whose state is kept across restarts, with the id it is filed under. */
    public record Kept(String ruleId, Persistent<?> detection) {}

    private final LineRouter router;
    private final TrafficSummary firewallSummary;
    private final List<Stateful> stateful;
    private final List<Kept> persistent;
    private final List<Detection<MailMessage>> mailDetections;
    private final List<Detection<ProxyEvent>> proxyDetections;
    private final SensorRules sensorRules;
    private final SourceTracker sources;
    private final SigmaRuleSet sigma;
    private final DetectingFormat<WindowsEvent> windowsFormat;
    private final Counter evtxParsed;
    private final List<Detection<ProxyEvent>> proxyFollowUps;

    private Ingest(
            LineRouter router,
            TrafficSummary firewallSummary,
            List<Stateful> stateful,
            List<Kept> persistent,
            List<Detection<ProxyEvent>> proxyDetections,
            List<Detection<MailMessage>> mailDetections,
            SensorRules sensorRules,
            SourceTracker sources,
            DetectingFormat<WindowsEvent> windowsFormat,
            SigmaRuleSet sigma,
            List<Detection<ProxyEvent>> proxyFollowUps,
            SensorMetrics metrics) {
        this.proxyFollowUps = List.copyOf(proxyFollowUps);
        this.router = router;
        this.firewallSummary = firewallSummary;
        this.stateful = List.copyOf(stateful);
        this.persistent = List.copyOf(persistent);
        this.proxyDetections = List.copyOf(proxyDetections);
        this.mailDetections = List.copyOf(mailDetections);
        this.sensorRules = sensorRules;
        this.sources = sources;
        this.windowsFormat = windowsFormat;
        this.sigma = sigma;
        this.evtxParsed = metrics.eventsParsed("evtx");
    }

    /**
     * A Windows event read from an EVTX file: counted as {@code format="evtx"}, then observed and
     * inspected as a Windows event from a log line would be.
     */
    public void windowsEvent(WindowsEvent e, ObserverInput input) {
        evtxParsed.increment();
        windowsFormat.inspect(new LogRecord("", e.computer(), e.time(), input), e);
    }

    /** The {@code sensor.*} rules enabled, for what the sensor notices about its own collection. */
    public SensorRules sensorRules() {
        return sensorRules;
    }

    /** Collection health; null offline, where arrival times mean nothing. */
    public SourceTracker sources() {
        return sources;
    }

    /** Every proxy detection, for requests seen inline (ICAP). */
    public List<Detection<ProxyEvent>> proxyDetections() {
        return proxyDetections;
    }

    /**
     * The proxy detections whose state follows its key's partition and which decide no inline
     * verdict: with Kafka, a request seen inline (ICAP) is inspected there by the others and sent on
     * to the instance holding its client for these ({@link LogRecord#followUp()}).
     */
    public List<Detection<ProxyEvent>> followUps() {
        return proxyFollowUps;
    }

    /** The mail rules, for messages seen whole by the SMTP relay. */
    public List<Detection<MailMessage>> mailDetections() {
        return mailDetections;
    }

    /** The detections whose state is kept in {@code sensor.state_dir}. */
    public List<Kept> persistent() {
        return persistent;
    }

    /**
     * @param current the configuration in force: a reload swaps it, and rules read the settings a
     *     reload may change (account lists) through it
     * @param reviews the periodic review, which every firewall, proxy and Windows event adds to
     */
    public static Ingest build(
            Supplier<MamoriConfig> current,
            Supplier<Indicators> intel,
            Supplier<List<Pattern>> userAgents,
            AlertFactory alerts,
            AlertSink sink,
            SensorMetrics metrics,
            TimeBasis timeBasis,
            Clock clock,
            ObserverInput input,
            ReviewBook reviews) {
        MamoriConfig config = current.get();
        SiteProfile site = config.site();
        // Bound on the keyed state of each detection (about 150 bytes a key: 1 million ~ 140 MiB).
        DetectionContext context = new DetectionContext(
                alerts,
                input,
                clock,
                timeBasis,
                config.sensor().maxTrackedKeys(),
                site,
                intel,
                userAgents,
                () -> current.get().site().privilegedAccounts());
        List<Detection<FirewallEvent>> firewall = new ArrayList<>();
        List<Detection<WindowsEvent>> windows = new ArrayList<>();
        List<Detection<ProxyEvent>> proxy = new ArrayList<>();
        List<Detection<MailMessage>> mail = new ArrayList<>();
        List<Detection<SensorEvent>> sensor = new ArrayList<>();
        List<Stateful> stateful = new ArrayList<>();
        List<Kept> persistent = new ArrayList<>();
        List<Detection<ProxyEvent>> proxyFollowUps = new ArrayList<>();
        Map<String, List<String>> proxyNeeds = new HashMap<>();
        Map<String, List<String>> firewallNeeds = new HashMap<>();
        for (RuleSpec<?> spec : Rules.ALL) {
            if (!config.detector(spec.id()).enabled()) {
                continue;
            }
            Map<String, List<String>> needs = spec.event() == ProxyEvent.class
                    ? proxyNeeds
                    : spec.event() == FirewallEvent.class ? firewallNeeds : new HashMap<>();
            spec.needs()
                    .forEach(f ->
                            needs.computeIfAbsent(f, k -> new ArrayList<>()).add(spec.id()));
            Supplier<RuleOptions> options =
                    () -> current.get().detector(spec.id()).options();
            Detection<?> d = spec.factory().create(context, options);
            if (spec.event() == FirewallEvent.class) {
                firewall.add(cast(d));
            } else if (spec.event() == WindowsEvent.class) {
                windows.add(cast(d));
            } else if (spec.event() == ProxyEvent.class) {
                proxy.add(cast(d));
            } else if (spec.event() == MailMessage.class) {
                mail.add(cast(d));
            } else if (spec.event() == SensorEvent.class) {
                sensor.add(cast(d));
            } else {
                throw new IllegalStateException(
                        spec.id() + ": no input carries " + spec.event().getSimpleName());
            }
            if (d instanceof Stateful s) {
                stateful.add(s);
                metrics.gauge(
                        "mamori.detector.tracked.keys",
                        "Keys held in a detection's bounded state",
                        s::trackedKeys,
                        "rule",
                        spec.id());
                metrics.functionCounter(
                        SensorMetrics.DETECTION_KEYS_DROPPED,
                        "Keys a detection could not track" + " because its state held sensor.max_tracked_keys",
                        s::keysDropped,
                        "rule",
                        spec.id());
            }
            if (d instanceof Persistent<?> p) {
                persistent.add(new Kept(spec.id(), p));
                if (spec.event() == ProxyEvent.class && !spec.inline()) {
                    proxyFollowUps.add(cast(d));
                }
            }
        }
        SigmaRuleSet sigma = loadSigma(config, alerts, input, clock, timeBasis, metrics);
        if (sigma != null) {
            windows.add(sigma.windows());
            proxy.add(sigma.proxy());
            firewall.add(sigma.firewall());
            stateful.add(sigma);
            metrics.gauge(
                    "mamori.detector.tracked.keys",
                    "Keys held in a detection's bounded state",
                    sigma::trackedKeys,
                    "rule",
                    SigmaEngine.RULE.id());
            metrics.functionCounter(
                    SensorMetrics.DETECTION_KEYS_DROPPED,
                    "Keys a detection could not track" + " because its state held sensor.max_tracked_keys",
                    sigma::keysDropped,
                    "rule",
                    SigmaEngine.RULE.id());
        }
        TrafficSummary summary = new TrafficSummary(48, 10_000);
        DetectingFormat<WindowsEvent> windowsFormat = new DetectingFormat<>(
                new WindowsParsers(site.timezone()),
                windows,
                sink,
                (r, e) -> reviews.windows(e, timeBasis.of(e.time(), clock)),
                RoutingKeys::windows,
                windows.stream().filter(d -> d instanceof MultiKeyed).toList());
        List<LineFormat> formats = List.of(
                new DetectingFormat<>(
                        new FirewallParsers(site.timezone()),
                        firewall,
                        sink,
                        new FirewallTally(site, summary, reviews, timeBasis, clock, metrics)
                                .andThen(new FieldsNotice<FirewallEvent>(
                                        "firewall",
                                        "log traffic with its ports",
                                        metrics,
                                        // ICMP and other protocols have no ports; TCP and UDP always do
                                        Map.of(
                                                "destination_port",
                                                e -> e.destinationPort() < 0
                                                        && ("tcp".equalsIgnoreCase(e.protocol())
                                                                || "udp".equalsIgnoreCase(e.protocol()))),
                                        firewallNeeds)),
                        RoutingKeys::firewall,
                        List.of()),
                windowsFormat,
                new DetectingFormat<>(
                        new ProxyLogParser(config.squidLogformats()),
                        proxy,
                        sink,
                        new FieldsNotice<ProxyEvent>(
                                        "proxy",
                                        "log in the mamori format, or a formats.squid.logformats entry with the field",
                                        metrics,
                                        Map.of(
                                                "user_agent", e -> e.userAgent() == null,
                                                "request_bytes", e -> e.requestBytes() < 0),
                                        proxyNeeds)
                                .andThen((r, e) -> reviews.proxy(e, timeBasis.of(e.time(), clock))),
                        RoutingKeys::proxyKeys,
                        proxyFollowUps),
                new DetectingFormat<>(
                        new PostfixWarningParser(), mail, sink, (r, e) -> {}, RoutingKeys::mail, List.of()));
        SensorRules sensorRules = new SensorRules(sensor, sink);
        // Offline (event time), arrival is when analyze read the line: neither silence nor skew means anything.
        SourceTracker sources = timeBasis == TimeBasis.ARRIVAL
                ? new SourceTracker(
                        config.sources().expected(),
                        config.sources().maxClockSkew(),
                        config.sources().maxSources(),
                        clock,
                        metrics,
                        sensorRules::notice)
                : null;
        LineRouter router = new LineRouter(
                formats,
                metrics,
                sources == null ? (r, o) -> {} : (r, o) -> sources.seen(r.sender(), r.host(), r.time(), o));
        return new Ingest(
                router,
                summary,
                stateful,
                persistent,
                proxy,
                mail,
                sensorRules,
                sources,
                windowsFormat,
                sigma,
                proxyFollowUps,
                metrics);
    }

    /** The Sigma rules in force (reloadable), or null when {@code detectors.sigma} is not configured. */
    public SigmaRuleSet sigma() {
        return sigma;
    }

    /** Loads {@code detectors.sigma}; null when not configured. */
    private static SigmaRuleSet loadSigma(
            MamoriConfig config,
            AlertFactory alerts,
            ObserverInput input,
            Clock clock,
            TimeBasis timeBasis,
            SensorMetrics metrics) {
        MamoriConfig.SigmaSettings settings = config.sigma();
        if (settings == null) {
            return null;
        }
        SigmaRuleSet set =
                new SigmaRuleSet(alerts.catalog(), input, clock, config.sensor().maxTrackedKeys(), timeBasis);
        metrics.gauge("mamori.sigma.rules.loaded", "Sigma rules compiled and running", set::rulesLoaded);
        for (String reason : SigmaRuleSet.REASONS) {
            metrics.gauge(
                    "mamori.sigma.rules.rejected",
                    "Sigma rules that did not compile, by reason",
                    () -> set.refused(reason),
                    "reason",
                    reason);
        }
        try {
            reloadSigma(set, settings);
        } catch (IOException e) {
            throw new UncheckedIOException("detectors.sigma.rules: " + e.getMessage(), e);
        }
        return set;
    }

    /** Compiles {@code settings}' rules into {@code set} (the rules in force stay if they cannot be read). */
    public static void reloadSigma(SigmaRuleSet set, MamoriConfig.SigmaSettings settings) throws IOException {
        set.load(settings.rules(), settings.statuses(), settings.minLevel(), settings.informational());
    }

    /** A detection built from a spec whose event type was just checked. */
    @SuppressWarnings("unchecked")
    private static <E> Detection<E> cast(Detection<?> d) {
        return (Detection<E>) d;
    }

    public LineRouter router() {
        return router;
    }

    public TrafficSummary firewallSummary() {
        return firewallSummary;
    }

    /** Lets held alerts out whose windows have closed, and forgets idle keys. */
    public void tick(Instant now, AlertSink sink) {
        if (sources != null) {
            sources.tick(now);
        }
        for (Stateful s : stateful) {
            s.tick(now, sink);
        }
    }

    /** Lets every held alert out (end of analysis, shutdown). */
    public void drain(AlertSink sink) {
        for (Stateful s : stateful) {
            s.drain(sink);
        }
    }
}
