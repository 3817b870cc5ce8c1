package dev.mamori.sensor.ingest;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.firewall.FirewallEvent;
import dev.mamori.detectors.firewall.FirewallParsers;
import dev.mamori.detectors.firewall.FwC2Communication;
import dev.mamori.detectors.firewall.FwConnectBack;
import dev.mamori.detectors.firewall.TrafficSummary;
import dev.mamori.detectors.intel.Indicators;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.RuleId;
import dev.mamori.detectors.rule.Stateful;
import dev.mamori.detectors.mail.MailDisplayNameSpoof;
import dev.mamori.detectors.mail.MailExecutableAttachment;
import dev.mamori.detectors.mail.MailMessage;
import dev.mamori.detectors.proxy.InlineCheck;
import dev.mamori.detectors.proxy.ProxyC2Access;
import dev.mamori.detectors.proxy.ProxyC2DailyAccess;
import dev.mamori.detectors.proxy.ProxyConnectNonstandardPort;
import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.detectors.proxy.ProxyExfiltration;
import dev.mamori.detectors.proxy.ProxyUnknownUserAgent;
import dev.mamori.detectors.site.IpSet;
import dev.mamori.detectors.site.SiteProfile;
import dev.mamori.detectors.windows.AccountLists;
import dev.mamori.detectors.windows.AdAuthFailureBurst;
import dev.mamori.detectors.windows.AdAuthSpike;
import dev.mamori.detectors.windows.AdForgedTicket;
import dev.mamori.detectors.windows.AdLogCleared;
import dev.mamori.detectors.windows.AdMs14068;
import dev.mamori.detectors.windows.AdOffHoursAuth;
import dev.mamori.detectors.windows.AdScheduledTask;
import dev.mamori.detectors.windows.AdUnexpectedAccountHost;
import dev.mamori.detectors.windows.AdUnexpectedPrivilege;
import dev.mamori.detectors.windows.WindowsEvent;
import dev.mamori.detectors.windows.WindowsParsers;
import dev.mamori.detectors.state.TimeBasis;
import dev.mamori.sensor.config.DetectorSettings;
import dev.mamori.sensor.config.MamoriConfig;
import dev.mamori.sensor.metrics.SensorMetrics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Assembles formats and detections from the configuration: the same wiring for the live sensor
 * (arrival time, {@code observer.input} of the input) and for {@code analyze} (event time,
 * {@code file}), so both run the same code on a line.
 */
public final class Ingest {


    private final LineRouter router;
    private final TrafficSummary firewallSummary;
    private final List<Stateful> stateful;
    private final AdAuthSpike authSpike;
    private final ProxyC2DailyAccess c2Daily;
    private final ProxyUnknownUserAgent unknownAgents;
    private final List<Detection<MailMessage>> mailDetections;
    private final ProxyExfiltration exfiltration;
    private final List<Detection<ProxyEvent>> proxyDetections;
    private final List<InlineCheck> inlineChecks;

    private Ingest(LineRouter router, TrafficSummary firewallSummary, List<Stateful> stateful,
            AdAuthSpike authSpike, ProxyC2DailyAccess c2Daily, ProxyUnknownUserAgent unknownAgents,
            ProxyExfiltration exfiltration, List<Detection<ProxyEvent>> proxyDetections,
            List<InlineCheck> inlineChecks, List<Detection<MailMessage>> mailDetections) {
        this.mailDetections = List.copyOf(mailDetections);
        this.unknownAgents = unknownAgents;
        this.exfiltration = exfiltration;
        this.router = router;
        this.firewallSummary = firewallSummary;
        this.stateful = List.copyOf(stateful);
        this.authSpike = authSpike;
        this.c2Daily = c2Daily;
        this.proxyDetections = List.copyOf(proxyDetections);
        this.inlineChecks = List.copyOf(inlineChecks);
    }

    /** The daily C&C access detection, whose streaks are kept across restarts; null when off. */
    public ProxyC2DailyAccess c2Daily() {
        return c2Daily;
    }

    /** The unknown-agent detection, whose alert windows are kept across restarts; null when off. */
    public ProxyUnknownUserAgent unknownAgents() {
        return unknownAgents;
    }

    /** The exfiltration detection, whose open upload sequences are kept across restarts; null when off. */
    public ProxyExfiltration exfiltration() {
        return exfiltration;
    }

    /** Every proxy detection, for requests seen inline (ICAP). */
    public List<Detection<ProxyEvent>> proxyDetections() {
        return proxyDetections;
    }

    /** The mail rules, for messages seen whole by the SMTP relay. */
    public List<Detection<MailMessage>> mailDetections() {
        return mailDetections;
    }

    /** The stateless proxy checks an inline input may block on. */
    public List<InlineCheck> inlineChecks() {
        return inlineChecks;
    }

    /** The authentication-spike detection, whose baselines are kept across restarts; null when off. */
    public AdAuthSpike authSpike() {
        return authSpike;
    }

    /** The account lists a configuration defines, for the AD detections. */
    public static AccountLists accountLists(MamoriConfig config) {
        DetectorSettings accountHost = config.detector(RuleId.AD_UNEXPECTED_ACCOUNT_HOST);
        return new AccountLists(config.site().privilegedAccounts(), accountHost.accountHosts("expected_hosts"),
                accountHost.strings("denied_accounts"));
    }

    public static Ingest build(MamoriConfig config, Supplier<Indicators> intel, Supplier<List<Pattern>> userAgents,
            Supplier<AccountLists> accounts, AlertFactory alerts, AlertSink sink, SensorMetrics metrics,
            TimeBasis timeBasis, Clock clock, ObserverInput input) {
        // Bound on the keyed state of each detection (about 150 bytes a key: 1 million ~ 140 MiB).
        final int maxKeys = config.sensor().maxTrackedKeys();
        List<Stateful> stateful = new ArrayList<>();
        List<Detection<FirewallEvent>> firewall = new ArrayList<>();

        DetectorSettings connectBack = config.detector(RuleId.FW_CONNECT_BACK);
        if (connectBack.enabled()) {
            FwConnectBack d = new FwConnectBack(config.site(), new FwConnectBack.Settings(
                    new HashSet<>(connectBack.integers("ports")), IpSet.of(connectBack.strings("allowed_destinations")),
                    connectBack.duration("aggregation_window"), maxKeys),
                    alerts, timeBasis, clock, input);
            firewall.add(d);
            stateful.add(d);
            metrics.gauge("mamori.detector.tracked.keys", "Keys held in a detection's bounded state",
                    d::trackedSources, "rule", RuleId.FW_CONNECT_BACK.id());
        }
        DetectorSettings c2 = config.detector(RuleId.FW_C2_COMMUNICATION);
        if (c2.enabled()) {
            FwC2Communication d = new FwC2Communication(intel, c2.duration("aggregation_window"), maxKeys,
                    alerts, timeBasis, clock, input);
            firewall.add(d);
            stateful.add(d);
        }
        TrafficSummary summary = new TrafficSummary(48, 10_000);
        AdAuthSpike spike = null;
        List<Detection<WindowsEvent>> windows = new ArrayList<>();
        SiteProfile site = config.site();
        if (config.detector(RuleId.AD_MS14_068).enabled()) {
            windows.add(new AdMs14068(alerts, input, clock));
        }
        if (config.detector(RuleId.AD_FORGED_TICKET).enabled()) {
            windows.add(new AdForgedTicket(site, alerts, input, clock));
        }
        if (config.detector(RuleId.AD_SCHEDULED_TASK).enabled()) {
            windows.add(new AdScheduledTask(alerts, input, clock));
        }
        if (config.detector(RuleId.AD_LOG_CLEARED).enabled()) {
            windows.add(new AdLogCleared(alerts, input, clock));
        }
        if (config.detector(RuleId.AD_UNEXPECTED_PRIVILEGE).enabled()) {
            windows.add(new AdUnexpectedPrivilege(accounts, alerts, input, clock));
        }
        DetectorSettings accountHost = config.detector(RuleId.AD_UNEXPECTED_ACCOUNT_HOST);
        if (accountHost.enabled()) {
            windows.add(new AdUnexpectedAccountHost(accounts, alerts, input, clock));
        }
        if (config.detector(RuleId.AD_OFF_HOURS_AUTH).enabled()) {
            windows.add(new AdOffHoursAuth(site, accounts, alerts, input, clock));
        }
        DetectorSettings burst = config.detector(RuleId.AD_AUTH_FAILURE_BURST);
        if (burst.enabled()) {
            AdAuthFailureBurst d = new AdAuthFailureBurst(burst.integer("count"), burst.integer("spray_accounts"),
                    burst.duration("window"),
                    maxKeys, alerts, timeBasis, clock, input);
            windows.add(d);
            stateful.add(d);
            metrics.gauge("mamori.detector.tracked.keys", "Keys held in a detection's bounded state",
                    d::trackedKeys, "rule", RuleId.AD_AUTH_FAILURE_BURST.id());
        }
        DetectorSettings spikes = config.detector(RuleId.AD_AUTH_SPIKE);
        if (spikes.enabled()) {
            spike = new AdAuthSpike(spikes.integer("factor"), spikes.integer("min_count"),
                    spikes.integer("warmup_hours"), maxKeys, alerts, timeBasis, clock, input);
            windows.add(spike);
            stateful.add(spike);
            metrics.gauge("mamori.detector.tracked.keys", "Keys held in a detection's bounded state",
                    spike::trackedAccounts, "rule", RuleId.AD_AUTH_SPIKE.id());
        }
        List<Detection<ProxyEvent>> proxy = new ArrayList<>();
        List<InlineCheck> inline = new ArrayList<>();
        if (config.detector(RuleId.PROXY_C2_ACCESS).enabled()) {
            ProxyC2Access d = new ProxyC2Access(intel, site, alerts, input, clock);
            proxy.add(d);
            inline.add(d);
        }
        if (config.detector(RuleId.PROXY_CONNECT_NONSTANDARD_PORT).enabled()) {
            ProxyConnectNonstandardPort d = new ProxyConnectNonstandardPort(new HashSet<>(config.detector(
                    RuleId.PROXY_CONNECT_NONSTANDARD_PORT).integers("allowed_ports")), alerts, input, clock);
            proxy.add(d);
            inline.add(d);
        }
        DetectorSettings ua = config.detector(RuleId.PROXY_UNKNOWN_USER_AGENT);
        ProxyUnknownUserAgent agents = null;
        if (ua.enabled()) {
            ProxyUnknownUserAgent d = new ProxyUnknownUserAgent(userAgents, ua.duration("window"), maxKeys,
                    alerts, input, clock);
            agents = d;
            proxy.add(d);
            inline.add(d);
            stateful.add(d);
        }
        ProxyC2DailyAccess daily = null;
        DetectorSettings dailySettings = config.detector(RuleId.PROXY_C2_DAILY_ACCESS);
        if (dailySettings.enabled()) {
            daily = new ProxyC2DailyAccess(intel, dailySettings.integer("days"), site.timezone(), maxKeys,
                    alerts, timeBasis, clock, input);
            proxy.add(daily);
            stateful.add(daily);
            metrics.gauge("mamori.detector.tracked.keys", "Keys held in a detection's bounded state",
                    daily::trackedKeys, "rule", RuleId.PROXY_C2_DAILY_ACCESS.id());
        }
        DetectorSettings exfil = config.detector(RuleId.PROXY_EXFILTRATION);
        ProxyExfiltration uploads = null;
        if (exfil.enabled()) {
            ProxyExfiltration d = new ProxyExfiltration(exfil.size("threshold_bytes"), exfil.duration("window"),
                    maxKeys, alerts, timeBasis, clock, input);
            uploads = d;
            proxy.add(d);
            stateful.add(d);
            metrics.gauge("mamori.detector.tracked.keys", "Keys held in a detection's bounded state",
                    d::trackedKeys, "rule", RuleId.PROXY_EXFILTRATION.id());
        }
        List<Detection<MailMessage>> mail = new ArrayList<>();
        DetectorSettings spoof = config.detector(RuleId.MAIL_DISPLAY_NAME_SPOOF);
        if (spoof.enabled()) {
            java.util.Set<String> own = new HashSet<>(spoof.strings("own_domains"));
            site.adDomains().forEach(d -> own.add(d.fqdn()));
            mail.add(new MailDisplayNameSpoof(own, alerts, input, clock));
        }
        DetectorSettings exe = config.detector(RuleId.MAIL_EXECUTABLE_ATTACHMENT);
        if (exe.enabled()) {
            mail.add(new MailExecutableAttachment(new HashSet<>(exe.strings("extensions")), alerts, input, clock));
        }
        List<LineFormat> formats = List.of(
                new FirewallFormat(new FirewallParsers(site.timezone()), site, firewall, summary, sink, timeBasis,
                        clock, metrics),
                new WindowsFormat(new WindowsParsers(site.timezone()), windows, sink),
                new ProxyFormat(proxy, sink),
                new MailLogFormat(mail, sink));
        for (Stateful s : stateful) {
            metrics.functionCounter(SensorMetrics.DETECTION_KEYS_DROPPED, "Keys a detection could not track because"
                    + " its state held sensor.max_tracked_keys", s::keysDropped, "rule", s.rule().id().id());
        }
        return new Ingest(new LineRouter(formats, metrics), summary, stateful, spike, daily, agents, uploads, proxy,
                inline, mail);
    }

    public LineRouter router() {
        return router;
    }

    public TrafficSummary firewallSummary() {
        return firewallSummary;
    }

    /** Lets held alerts out whose windows have closed. */
    public void tick(Instant now, AlertSink sink) {
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
