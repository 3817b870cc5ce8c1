package dev.mamori.detectors.proxy;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.Finding;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.OptionSpec;
import dev.mamori.detectors.rule.Persistent;
import dev.mamori.detectors.rule.RuleSpec;
import dev.mamori.detectors.rule.Stateful;
import dev.mamori.detectors.state.KeyedState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code proxy.unknown_user_agent}: the User-Agent matches none of the organisation's allowed
 * patterns (a missing or empty one counts). A pattern is searched in the header, as Squid's
 * {@code browser} ACL and grep do, so {@code ^curl/} allows {@code curl/8.5.0}; {@code ^} and
 * {@code $} anchor it. Sources that cannot tell the agent (Squid's native log)
 * are skipped. One alert per (client, agent) per window; the map of recent pairs is bounded and
 * swept by {@link #forget}. When it is full of pairs still within their window, a new pair is
 * alerted without being remembered (counted in {@link #keysDropped}).
 */
public final class ProxyUnknownUserAgent
        implements Detection<ProxyEvent>, Stateful, Persistent<ProxyUnknownUserAgent.Window> {

    public static final Rule RULE = new Rule("proxy.unknown_user_agent", Severity.MEDIUM, "T1071.001");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<ProxyEvent> SPEC = RuleSpec.of(
                    RULE,
                    ProxyEvent.class,
                    (ctx, o) -> new ProxyUnknownUserAgent(
                            ctx.userAgents(),
                            o.get().window("window"),
                            ctx.maxKeys(),
                            ctx.alerts(),
                            ctx.input(),
                            ctx.clock()),
                    OptionSpec.window("window", Duration.ofHours(1)))
            .blocking()
            .needing("user_agent");

    private final Supplier<List<Pattern>> allowed;
    private final long windowMillis;
    private final AlertFactory alerts;
    private final ObserverInput input;
    private final Clock clock;
    /** When each (client, agent) pair was last alerted, partitioned by client. */
    private final KeyedState<Pair, Long> lastAlert;

    private record Pair(String client, String agent) {}

    /**
     * Agents already judged against one list. A site sees few agents, so the patterns run once per
     * agent rather than per request (the search was the largest part of this rule's cost); the
     * verdicts start afresh when the list is reloaded, and stop growing at {@link #MAX_VERDICTS}
     * (agents are the client's to invent: past that, each is searched as before).
     */
    private record Verdicts(List<Pattern> patterns, Map<String, Boolean> unknown) {}

    static final int MAX_VERDICTS = 4096;

    /** Shared by the threads that inspect (event loops); replaced whole when the list changes. */
    private volatile Verdicts verdicts = new Verdicts(List.of(), new ConcurrentHashMap<>());

    public ProxyUnknownUserAgent(
            Supplier<List<Pattern>> allowed,
            Duration window,
            int maxKeys,
            AlertFactory alerts,
            ObserverInput input,
            Clock clock) {
        this.allowed = allowed;
        this.windowMillis = window.toMillis();
        this.lastAlert = new KeyedState<>(maxKeys, Pair::client);
        this.alerts = alerts;
        this.input = input;
        this.clock = clock;
    }

    @Override
    public Rule rule() {
        return RULE;
    }

    /** No allowed pattern is found in the agent (a missing or empty one counts; sources without it are skipped). */
    private boolean unknown(String agent) {
        if (agent == null) {
            return false;
        }
        if (agent.isBlank()) {
            return true;
        }
        List<Pattern> patterns = allowed.get();
        Verdicts v = verdicts;
        if (v.patterns() != patterns) {
            v = new Verdicts(patterns, new ConcurrentHashMap<>());
            verdicts = v;
        }
        Boolean known = v.unknown().get(agent);
        if (known != null) {
            return known;
        }
        boolean unknown = search(patterns, agent);
        if (v.unknown().size() < MAX_VERDICTS) {
            v.unknown().put(agent, unknown);
        }
        return unknown;
    }

    private static boolean search(List<Pattern> patterns, String agent) {
        for (Pattern p : patterns) {
            if (p.matcher(agent).find()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void inspect(ProxyEvent e, AlertSink sink) {
        if (!unknown(e.userAgent())) {
            return;
        }
        // every such request is a finding (an inline input refuses each); the alert comes once a window
        sink.found(new Finding(RULE.id(), alerts.catalog().reason(RULE.id(), e.userAgent())));
        long now = (e.time() != null ? e.time() : clock.instant()).toEpochMilli();
        Pair key = new Pair(e.client(), e.userAgent());
        Long last = lastAlert.get(key);
        if (last != null && now - last < windowMillis) {
            return;
        }
        if (last == null && lastAlert.isFull()) {
            forget(Instant.ofEpochMilli(now));
        }
        lastAlert.put(key, now); // full of pairs still in their window: alerted, not remembered
        sink.emit(ProxyAlerts.start(alerts, RULE, input, e, clock)
                .args(e.client(), e.userAgent().isEmpty() ? alerts.catalog().text("none") : e.userAgent())
                .build());
    }

    @Override
    public void tick(Instant now, AlertSink sink) {
        forget(now);
    }

    /** Nothing is held back: alerts go out at once. */
    @Override
    public void drain(AlertSink sink) {}

    @Override
    public long keysDropped() {
        return lastAlert.dropped();
    }

    /** Drops pairs whose window has passed. */
    public void forget(Instant now) {
        long cutoff = now.toEpochMilli() - windowMillis;
        lastAlert.evictIf((k, t) -> t < cutoff);
    }

    @Override
    public int trackedKeys() {
        return lastAlert.size();
    }

    /** When each (client, agent) pair was last alerted; also the snapshot format. */
    public record Window(String client, String agent, long alertedAt) {}

    @Override
    public Class<Window> entryType() {
        return Window.class;
    }

    @Override
    public List<Window> snapshot(Predicate<String> clients) {
        return lastAlert.snapshot(clients, (k, at) -> new Window(k.client(), k.agent(), at));
    }

    @Override
    public void restore(List<Window> saved) {
        for (Window w : saved) {
            if (w.client() != null && w.agent() != null) {
                lastAlert.restore(new Pair(w.client(), w.agent()), w.alertedAt());
            }
        }
    }

    @Override
    public void forget(Predicate<String> partitions) {
        lastAlert.forget(partitions);
    }
}
