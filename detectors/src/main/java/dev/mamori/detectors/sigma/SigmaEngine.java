package dev.mamori.detectors.sigma;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.firewall.FirewallEvent;
import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.detectors.state.TimeBasis;
import dev.mamori.detectors.windows.WindowsEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * One load of Sigma rules, compiled for Mamori's events: Windows rules indexed by channel and event
 * id (and by the view they read, Security 4688 renamed or not), proxy and firewall rules in one
 * group each, every group behind its literal prefilter ({@link RuleGroup}); and the correlation
 * rules, fed by the matches of the rules they name. A match raises an alert with
 * {@code rule.id = sigma:<the rule's id>} unless the rule is only there for a correlation, beside
 * whatever the built-in rules raise on the event. Thread-safe.
 */
public final class SigmaEngine {

    /** The name the Sigma engine goes by where a built-in rule would stand (metrics, logs). */
    public static final Rule RULE = new Rule("sigma.rules", Severity.MEDIUM, null);

    /** A Windows (channel, event id) bucket: the rules reading the plain view and those reading 4688 renamed. */
    private record Bucket(RuleGroup plain, RuleGroup security4688) {}

    /** A correlation naming an item, and the item's place in its rules. */
    private record Parent(CorrelationState state, int member) {}

    /** The rules of a bucket while the index is built. */
    private record Lists(List<SigmaRule> plain, List<SigmaRule> security4688) {
        Lists() {
            this(new ArrayList<>(), new ArrayList<>());
        }
    }

    /** By channel (lower case), then by event id; id -1 holds the rules of any id on the channel. */
    private final Map<String, Map<Integer, Bucket>> windows = new HashMap<>();

    private final RuleGroup proxy;
    private final RuleGroup firewall;
    private final List<CorrelationState> correlations = new ArrayList<>();
    private final Map<SigmaItem, List<Parent>> parents = new IdentityHashMap<>();
    private final Set<SigmaItem> quiet;
    private final MessageCatalog catalog;
    private final ObserverInput input;
    private final Clock clock;
    private final TimeBasis basis;
    private final int windowsRules;
    private final LongAdder errors = new LongAdder();

    /** @param maxKeys the bound of each correlation's keyed state ({@code sensor.max_tracked_keys}) */
    public SigmaEngine(
            SigmaRules.Loaded loaded, MessageCatalog catalog, ObserverInput input, Clock clock, int maxKeys) {
        this(loaded, catalog, input, clock, maxKeys, TimeBasis.EVENT, true);
    }

    /**
     * @param basis the clock correlation windows follow: the events' own times (offline) or their
     *     arrival (a live sensor, as the built-in rules: device clocks drift, replayed lines must not
     *     reopen old windows)
     * @param prefilter false to evaluate every rule on every event of its logsource: slower, and the
     *     reference the tests hold the prefilter to (same alerts either way)
     */
    public SigmaEngine(
            SigmaRules.Loaded loaded,
            MessageCatalog catalog,
            ObserverInput input,
            Clock clock,
            int maxKeys,
            TimeBasis basis,
            boolean prefilter) {
        this.basis = basis;
        this.catalog = catalog;
        this.input = input;
        this.clock = clock;
        this.quiet = loaded.quiet();
        Map<String, Map<Integer, Lists>> lists = new HashMap<>();
        List<SigmaRule> proxyRules = new ArrayList<>();
        List<SigmaRule> firewallRules = new ArrayList<>();
        int n = 0;
        for (SigmaRule r : loaded.rules()) {
            switch (r.logsource().kind()) {
                case "proxy" -> proxyRules.add(r);
                case "firewall" -> firewallRules.add(r);
                default -> {
                    n++;
                    for (Logsource.Route route : r.logsource().routes()) {
                        Map<Integer, Lists> ids = lists.computeIfAbsent(route.channel(), k -> new HashMap<>());
                        // the logsource's ids, else those the detection demands, else any id
                        Set<Integer> wanted = !route.eventIds().isEmpty() ? route.eventIds() : r.eventIds();
                        for (int id : wanted.isEmpty() ? Set.of(-1) : wanted) {
                            Lists l = ids.computeIfAbsent(id, k -> new Lists());
                            (route.security4688() ? l.security4688() : l.plain()).add(r);
                        }
                    }
                }
            }
        }
        lists.forEach((channel, ids) -> {
            Map<Integer, Bucket> buckets = new HashMap<>();
            ids.forEach((id, pair) ->
                    buckets.put(id, new Bucket(group(pair.plain(), prefilter), group(pair.security4688(), prefilter))));
            windows.put(channel, buckets);
        });
        this.windowsRules = n;
        this.proxy = group(proxyRules, prefilter);
        this.firewall = group(firewallRules, prefilter);
        for (SigmaRules.Resolved c : loaded.correlations()) {
            CorrelationState state = new CorrelationState(c.correlation(), c.members(), maxKeys);
            correlations.add(state);
            for (int i = 0; i < c.members().size(); i++) {
                parents.computeIfAbsent(c.members().get(i), k -> new ArrayList<>())
                        .add(new Parent(state, i));
            }
        }
    }

    private static RuleGroup group(List<SigmaRule> rules, boolean prefilter) {
        return rules.isEmpty() ? null : new RuleGroup(rules, prefilter);
    }

    /** How many rules read Windows events. */
    public int windowsRules() {
        return windowsRules;
    }

    public int proxyRules() {
        return proxy == null ? 0 : proxy.size();
    }

    public int firewallRules() {
        return firewall == null ? 0 : firewall.size();
    }

    public int correlationRules() {
        return correlations.size();
    }

    /** Rule evaluations that failed (a bug, counted rather than let through to the input). */
    public long errors() {
        return errors.sum();
    }

    /** Groups held by the correlations now. */
    public int trackedKeys() {
        return correlations.stream().mapToInt(CorrelationState::trackedKeys).sum();
    }

    /** Groups the correlations could not track because their state was full. */
    public long keysDropped() {
        return correlations.stream().mapToLong(CorrelationState::keysDropped).sum();
    }

    public void windows(WindowsEvent e, AlertSink sink) {
        if (e.channel() == null) {
            return;
        }
        Map<Integer, Bucket> ids = windows.get(e.channel().toLowerCase(Locale.ROOT));
        if (ids == null) {
            return;
        }
        Bucket exact = ids.get(e.eventId());
        Bucket any = ids.get(-1);
        if (exact == null && any == null) {
            return;
        }
        SigmaEvent plain = SigmaFields.windows(e, false);
        SigmaEvent renamed = null;
        BiFunction<Instant, Instant, Evidence> evidence = (t, w) -> Evidence.of(e, t, w);
        for (Bucket b : new Bucket[] {exact, any}) {
            if (b == null) {
                continue;
            }
            if (b.plain() != null) {
                evaluate(b.plain(), plain, e.time(), evidence, sink);
            }
            if (b.security4688() != null) {
                renamed = renamed != null ? renamed : SigmaFields.windows(e, true);
                evaluate(b.security4688(), renamed, e.time(), evidence, sink);
            }
        }
    }

    public void proxy(ProxyEvent e, AlertSink sink) {
        if (proxy != null) {
            evaluate(proxy, SigmaFields.proxy(e), e.time(), (t, w) -> Evidence.of(e, t, w), sink);
        }
    }

    public void firewall(FirewallEvent e, AlertSink sink) {
        if (firewall != null) {
            evaluate(firewall, SigmaFields.firewall(e), e.time(), (t, w) -> Evidence.of(e, t, w), sink);
        }
    }

    /**
     * Runs a group on an event's view; the evidence (alert fields, times) is made on the first match
     * only, since most events match nothing.
     *
     * @param evidence the evidence from the alert's time and the correlation windows' time
     */
    private void evaluate(
            RuleGroup group,
            SigmaEvent view,
            Instant eventTime,
            BiFunction<Instant, Instant, Evidence> evidence,
            AlertSink sink) {
        Evidence[] made = {null};
        group.evaluate(
                view,
                r -> {
                    if (made[0] == null) {
                        made[0] = evidence.apply(
                                eventTime != null ? eventTime : clock.instant(), basis.of(eventTime, clock));
                    }
                    matched(r, view, made[0], sink);
                },
                errors::increment);
    }

    /** Judges correlation windows closed by {@code now} and forgets idle groups. */
    public void tick(Instant now, AlertSink sink) {
        for (CorrelationState c : correlations) {
            c.tick(now).forEach(f -> fired(c, f, sink));
        }
    }

    /** The end of the input: open correlation windows are judged on what they hold. */
    public void drain(AlertSink sink) {
        for (CorrelationState c : correlations) {
            c.drain().forEach(f -> fired(c, f, sink));
        }
    }

    private void matched(SigmaRule rule, SigmaEvent fields, Evidence evidence, AlertSink sink) {
        if (!quiet.contains(rule)) {
            sink.emit(alert(rule, evidence));
        }
        for (Parent p : parents.getOrDefault(rule, List.of())) {
            CorrelationState.Fired f = p.state().hit(p.member(), fields, evidence.windowTime(), evidence);
            if (f != null) {
                fired(p.state(), f, sink);
            }
        }
    }

    private void fired(CorrelationState c, CorrelationState.Fired f, AlertSink sink) {
        SigmaCorrelation def = c.definition();
        if (!quiet.contains(def)) {
            sink.emit(alert(def, f));
        }
        Evidence at = new Evidence(
                f.time(),
                f.time(),
                f.evidence().where(),
                f.evidence().what(),
                f.evidence().fields());
        SigmaEvent groupFields = SigmaEvent.of(f.group());
        for (Parent p : parents.getOrDefault(def, List.of())) {
            CorrelationState.Fired up = p.state().hit(p.member(), groupFields, f.time(), at);
            if (up != null) {
                fired(p.state(), up, sink);
            }
        }
    }

    private Alert alert(SigmaRule r, Evidence e) {
        return alert(r, e, catalog.text("sigma_message", r.title(), e.where(), e.what()), e.fields());
    }

    private Alert alert(SigmaCorrelation c, CorrelationState.Fired f) {
        Map<AlertField, Object> fields = new EnumMap<>(f.evidence().fields());
        String group = f.group().entrySet().stream()
                .map(x -> x.getKey() + "=" + x.getValue())
                .collect(Collectors.joining(", "));
        String message = catalog.text(
                "sigma_correlation_message",
                c.title(),
                f.counted(),
                c.timespan().toString().substring(2).toLowerCase(Locale.ROOT),
                group.isEmpty() ? "-" : group);
        return alert(c, new Evidence(f.time(), f.time(), null, null, fields), message, fields);
    }

    private Alert alert(SigmaItem item, Evidence e, String message, Map<AlertField, Object> eventFields) {
        Map<AlertField, Object> fields = new EnumMap<>(AlertField.class);
        fields.putAll(eventFields);
        if (!item.techniques().isEmpty()) {
            fields.put(AlertField.THREAT_TECHNIQUE_ID, item.techniques().get(0));
        }
        return new Alert(
                e.time(),
                "sigma:" + item.id(),
                item.title(),
                item.level(),
                message,
                input,
                catalog.text(
                        "sigma_recommendation",
                        item.description() == null
                                ? item.title()
                                : item.description().strip()),
                fields);
    }
}
