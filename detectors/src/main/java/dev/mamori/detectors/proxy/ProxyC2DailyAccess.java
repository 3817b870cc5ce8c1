package dev.mamori.detectors.proxy;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.intel.Indicators;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.OptionSpec;
import dev.mamori.detectors.rule.Persistent;
import dev.mamori.detectors.rule.RuleSpec;
import dev.mamori.detectors.rule.Stateful;
import dev.mamori.detectors.state.KeyedState;
import dev.mamori.detectors.state.TimeBasis;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code proxy.c2_daily_access}: one client reached one indicator on {@code days} consecutive days
 * (in {@code site.timezone}): the regular beaconing of an infected host. One alert when the streak
 * reaches the threshold. State: per (client, indicator) the last day seen and the streak length,
 * bounded by {@code maxKeys}, streaks broken for a day forgotten by {@link #tick}, and kept across
 * restarts through {@link #snapshot()} / {@link #restore(List)}.
 */
public final class ProxyC2DailyAccess
        implements Detection<ProxyEvent>, Stateful, Persistent<ProxyC2DailyAccess.Streak> {

    public static final Rule RULE = new Rule("proxy.c2_daily_access", Severity.CRITICAL, "T1071.001");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<ProxyEvent> SPEC = RuleSpec.of(
            RULE,
            ProxyEvent.class,
            (ctx, o) -> new ProxyC2DailyAccess(
                    ctx.indicators(),
                    o.get().count("days"),
                    ctx.site().timezone(),
                    ctx.maxKeys(),
                    ctx.alerts(),
                    ctx.timeBasis(),
                    ctx.clock(),
                    ctx.input()),
            OptionSpec.count("days", 3));

    /** One streak; also the snapshot format. */
    public record Streak(String client, String indicator, long lastDay, int days) {}

    private static final class State {
        long lastDay;
        int days;

        State(long day) {
            this.lastDay = day;
            this.days = 1;
        }
    }

    private final Supplier<Indicators> indicators;
    private final int days;
    private final ZoneId zone;
    private final AlertFactory alerts;
    private final TimeBasis timeBasis;
    private final Clock clock;
    private final ObserverInput input;
    /** Keyed by (client, indicator), partitioned by client. */
    private final KeyedState<Pair, State> streaks;

    private record Pair(String client, String indicator) {}

    public ProxyC2DailyAccess(
            Supplier<Indicators> indicators,
            int days,
            ZoneId zone,
            int maxKeys,
            AlertFactory alerts,
            TimeBasis timeBasis,
            Clock clock,
            ObserverInput input) {
        this.indicators = indicators;
        this.days = days;
        this.zone = zone;
        this.streaks = new KeyedState<>(maxKeys, Pair::client);
        this.alerts = alerts;
        this.timeBasis = timeBasis;
        this.clock = clock;
        this.input = input;
    }

    @Override
    public Class<Streak> entryType() {
        return Streak.class;
    }

    @Override
    public Rule rule() {
        return RULE;
    }

    @Override
    public void inspect(ProxyEvent e, AlertSink sink) {
        String hit = ProxyC2Access.indicator(indicators.get(), e);
        if (hit == null || e.client() == null) {
            return;
        }
        long day = timeBasis.of(e.time(), clock).atZone(zone).toLocalDate().toEpochDay();
        State s = streaks.getOrCreate(new Pair(e.client(), hit), k -> new State(day));
        if (s == null) {
            return;
        }
        int reached;
        synchronized (s) {
            if (day == s.lastDay + 1) {
                s.days++;
                s.lastDay = day;
            } else if (day > s.lastDay + 1) {
                s.days = 1;
                s.lastDay = day;
            }
            reached = day == s.lastDay ? s.days : 0;
            if (reached == days) {
                s.days++; // past the threshold: one alert per streak
            }
        }
        if (reached == days) {
            sink.emit(ProxyAlerts.start(alerts, RULE, input, e, clock)
                    .field(AlertField.EVENT_COUNT, days)
                    .args(e.client(), hit, days)
                    .build());
        }
    }

    /** Forgets streaks with no access yesterday or today: they are broken. */
    @Override
    public void tick(Instant now, AlertSink sink) {
        long today = now.atZone(zone).toLocalDate().toEpochDay();
        streaks.evictIf((k, s) -> {
            synchronized (s) {
                return s.lastDay < today - 1;
            }
        });
    }

    @Override
    public void drain(AlertSink sink) {}

    @Override
    public List<Streak> snapshot(Predicate<String> clients) {
        return streaks.snapshot(clients, (k, s) -> {
            synchronized (s) {
                return new Streak(k.client(), k.indicator(), s.lastDay, s.days);
            }
        });
    }

    @Override
    public void restore(List<Streak> saved) {
        for (Streak st : saved) {
            if (st.client() == null || st.indicator() == null || st.days() < 1) {
                continue;
            }
            State s = new State(st.lastDay());
            s.days = st.days();
            streaks.restore(new Pair(st.client(), st.indicator()), s);
        }
    }

    @Override
    public int trackedKeys() {
        return streaks.size();
    }

    /** New (client, indicator) streaks not started because the table was full. */
    @Override
    public long keysDropped() {
        return streaks.dropped();
    }

    @Override
    public void forget(Predicate<String> partitions) {
        streaks.forget(partitions);
    }
}
