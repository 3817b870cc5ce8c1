package dev.mamori.sensor.ingest;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.Finding;
import dev.mamori.detectors.alert.Findings;
import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.protocols.icap.IcapRequest;
import dev.mamori.protocols.icap.IcapService;
import dev.mamori.sensor.metrics.SensorMetrics;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The ICAP REQMOD verdict: the request becomes a {@link ProxyEvent} (client from
 * {@code X-Client-IP}, else the proxy's address; body size from {@code Content-Length}); every proxy
 * detection inspects it and alerts; in block mode the first finding of a rule listed in
 * {@code inputs.icap.block} refuses it, its reason (from the catalog) on the block page. The
 * detections are quick and never wait, so this runs on the event loop; the alerts they raise go on
 * once the answer is written, so the proxy does not wait for the incident book and the outputs.
 * Counts {@code mamori_icap_requests_total{method, verdict}}.
 */
public final class ProxyIcapService implements IcapService {

    private final List<Detection<ProxyEvent>> detections;
    private final Set<String> blocking;
    private final boolean block;
    private final AlertSink alerts;
    private final Supplier<String> istag;
    private final Clock clock;
    private final SensorMetrics metrics;
    private final Counter received;
    private final Map<String, Counter> answers = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> refusals = new ConcurrentHashMap<>();
    private final Counter refused;
    private final Counter internalErrors;
    private final Consumer<ProxyEvent> followUp;

    /**
     * @param followUp takes every request after the verdict, for detections that run elsewhere (with
     *     Kafka: on the instance holding the client's state); must not block
     */
    public ProxyIcapService(
            List<Detection<ProxyEvent>> detections,
            boolean block,
            Set<String> blockRules,
            AlertSink alerts,
            Supplier<String> istag,
            Clock clock,
            SensorMetrics metrics,
            Consumer<ProxyEvent> followUp) {
        this.followUp = followUp;
        this.detections = List.copyOf(detections);
        this.blocking = Set.copyOf(blockRules);
        this.block = block;
        this.alerts = alerts;
        this.istag = istag;
        this.clock = clock;
        this.metrics = metrics;
        this.received = metrics.eventsReceived("icap", "tcp");
        this.refused = metrics.icapRequests("-", "error");
        this.internalErrors = metrics.eventsDropped("icap", "internal_error");
        for (String m : new String[] {"REQMOD", "RESPMOD", "OPTIONS"}) {
            for (String v : new String[] {"allowed", "blocked", "error"}) {
                answers.put(m + " " + v, metrics.icapRequests(m, v));
            }
        }
    }

    @Override
    public Verdict reqmod(IcapRequest r, String proxyAddress) {
        return reqmod(r, proxyAddress, Runnable::run);
    }

    /** The verdict now; the alerts (incident book, review, outputs) once the answer is on its way. */
    @Override
    public Verdict reqmod(IcapRequest r, String proxyAddress, Consumer<Runnable> afterAnswer) {
        received.increment();
        ProxyEvent e = event(r, proxyAddress, clock);
        if (e == null) {
            return ALLOW;
        }
        List<Alert> raised = new ArrayList<>(1);
        Findings findings = new Findings(raised::add);
        for (Detection<ProxyEvent> d : detections) {
            d.inspect(e, findings);
        }
        if (!raised.isEmpty()) {
            afterAnswer.accept(() -> raised.forEach(alerts::emit));
        }
        followUp.accept(e);
        if (block) {
            Optional<Finding> refusal = findings.first(blocking);
            if (refusal.isPresent()) {
                return new Block(refusal.get().ruleId(), refusal.get().reason());
            }
        }
        return ALLOW;
    }

    /** The proxy event an ICAP request describes; null when its HTTP head names no host. */
    static ProxyEvent event(IcapRequest r, String proxyAddress, Clock clock) {
        String method = r.http().method();
        String target = r.http().target();
        String url = target;
        if (!target.contains("://")
                && !method.equalsIgnoreCase("CONNECT")
                && r.http().header("host") != null) {
            url = "http://" + r.http().header("host") + target; // origin-form request: rebuild the URL
        }
        String[] hp = ProxyEvent.hostPort(method, url);
        if (hp == null) {
            return null;
        }
        String client = r.header("x-client-ip");
        String agent = r.http().header("user-agent");
        long length = -1;
        try {
            String cl = r.http().header("content-length");
            length = cl == null ? -1 : Long.parseLong(cl.strip());
        } catch (NumberFormatException ignored) {
            length = -1;
        }
        return new ProxyEvent(
                clock.instant(),
                client != null ? client : proxyAddress,
                method.toUpperCase(Locale.ROOT),
                url,
                hp[0],
                Integer.parseInt(hp[1]),
                agent == null ? "" : agent,
                length,
                -1,
                "icap",
                r.http().method() + " " + target);
    }

    @Override
    public String istag() {
        return istag.get();
    }

    @Override
    public void answered(String method, String verdict) {
        Counter c = answers.get(method + " " + verdict);
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public void failed(Throwable cause) {
        internalErrors.increment();
    }

    @Override
    public void refused(int status, String reason) {
        refused.increment();
        refusals.computeIfAbsent(status, s -> metrics.eventsDropped("icap", "status_" + s))
                .increment();
    }
}
