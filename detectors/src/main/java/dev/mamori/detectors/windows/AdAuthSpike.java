package dev.mamori.detectors.windows;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.OptionSpec;
import dev.mamori.detectors.rule.Persistent;
import dev.mamori.detectors.rule.RuleSpec;
import dev.mamori.detectors.rule.Stateful;
import dev.mamori.detectors.state.KeyedState;
import dev.mamori.detectors.state.TimeBasis;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * {@code ad.auth_spike}: an account's authentications (4624, 4625, 4768, 4769, 4776) in one hour
 * reach {@code factor} times its own baseline and at least {@code minCount}. The baseline is an
 * exponentially weighted mean of the account's hourly counts (about a day's memory; hours without
 * events count as zero), learned for {@code warmupHours} before the account can alert, and kept
 * across restarts through {@link #snapshot()} and {@link #restore(List)}.
 *
 * <p>State: one small record per account in a concurrent map bounded by {@code maxKeys}; accounts
 * silent for two weeks are evicted by {@link #tick}. Records are updated under their own lock.
 */
public final class AdAuthSpike implements Detection<WindowsEvent>, Stateful, Persistent<AdAuthSpike.Baseline> {

    public static final Rule RULE = new Rule("ad.auth_spike", Severity.MEDIUM, "T1078");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<WindowsEvent> SPEC = RuleSpec.of(
            RULE,
            WindowsEvent.class,
            (ctx, o) -> new AdAuthSpike(
                    o.get().count("factor"),
                    o.get().count("min_count"),
                    o.get().count("warmup_hours"),
                    ctx.maxKeys(),
                    ctx.alerts(),
                    ctx.timeBasis(),
                    ctx.clock(),
                    ctx.input()),
            OptionSpec.count("factor", 5),
            OptionSpec.count("min_count", 20),
            OptionSpec.count("warmup_hours", 24));

    /** What is kept of one account; also the snapshot format. */
    public record Baseline(String account, long hour, long count, double mean, int hours) {}

    private static final double ALPHA = 1.0 / 24;
    private static final long FORGET_AFTER_HOURS = 24 * 14;

    private static final class State {
        long hour;
        long count;
        double mean;
        int hours;
        long alertedHour = -1;

        State(long hour) {
            this.hour = hour;
        }
    }

    private final int factor;
    private final int minCount;
    private final int warmupHours;
    private final AlertFactory alerts;
    private final TimeBasis timeBasis;
    private final Clock clock;
    private final ObserverInput input;
    /** Baselines by account (the partition key too). */
    private final KeyedState<String, State> accounts;

    public AdAuthSpike(
            int factor,
            int minCount,
            int warmupHours,
            int maxKeys,
            AlertFactory alerts,
            TimeBasis timeBasis,
            Clock clock,
            ObserverInput input) {
        this.factor = factor;
        this.minCount = minCount;
        this.warmupHours = warmupHours;
        this.accounts = new KeyedState<>(maxKeys, account -> account);
        this.alerts = alerts;
        this.timeBasis = timeBasis;
        this.clock = clock;
        this.input = input;
    }

    @Override
    public Class<Baseline> entryType() {
        return Baseline.class;
    }

    @Override
    public Rule rule() {
        return RULE;
    }

    @Override
    public void inspect(WindowsEvent e, AlertSink sink) {
        Authentication a = Authentication.of(e);
        if (a == null || Accounts.isBuiltIn(a.account())) {
            return;
        }
        long hour = timeBasis.of(e.time(), clock).getEpochSecond() / 3600;
        State s = accounts.getOrCreate(a.account(), k -> new State(hour));
        if (s == null) {
            return;
        }
        long count;
        double baseline;
        boolean fire;
        synchronized (s) {
            roll(s, hour);
            s.count++;
            count = s.count;
            baseline = s.mean;
            fire = s.hours >= warmupHours
                    && count >= minCount
                    && count >= factor * Math.max(baseline, 1.0)
                    && s.alertedHour != s.hour;
            if (fire) {
                s.alertedHour = s.hour;
            }
        }
        if (fire) {
            sink.emit(WindowsAlerts.start(alerts, RULE, input, e, clock)
                    .field(AlertField.USER_NAME, a.rawAccount())
                    .field(AlertField.EVENT_COUNT, count)
                    .args(a.rawAccount(), count, String.format(Locale.ROOT, "%.1f", baseline))
                    .build());
        }
    }

    /** Closes the hours between the state's hour and {@code hour} into the mean. */
    private static void roll(State s, long hour) {
        if (hour <= s.hour) {
            return;
        }
        s.mean = s.hours == 0 ? s.count : ALPHA * s.count + (1 - ALPHA) * s.mean;
        long gap = Math.min(hour - s.hour - 1, FORGET_AFTER_HOURS);
        s.mean *= Math.pow(1 - ALPHA, gap);
        s.hours = (int) Math.min((long) s.hours + 1 + gap, Integer.MAX_VALUE / 2);
        s.count = 0;
        s.hour = hour;
    }

    @Override
    public void tick(Instant now, AlertSink sink) {
        long hour = now.getEpochSecond() / 3600;
        accounts.evictIf((account, s) -> {
            synchronized (s) {
                return hour - s.hour > FORGET_AFTER_HOURS;
            }
        });
    }

    /** Nothing is held back; the baselines stay (they are persisted, not flushed). */
    @Override
    public void drain(AlertSink sink) {}

    @Override
    public List<Baseline> snapshot(Predicate<String> partitions) {
        return accounts.snapshot(partitions, (account, s) -> {
            synchronized (s) {
                return new Baseline(account, s.hour, s.count, s.mean, s.hours);
            }
        });
    }

    @Override
    public void restore(List<Baseline> baselines) {
        for (Baseline b : baselines) {
            if (b.account() == null || !Double.isFinite(b.mean()) || b.mean() < 0 || b.hours() < 0 || b.count() < 0) {
                continue;
            }
            State s = new State(b.hour());
            s.count = b.count();
            s.mean = b.mean();
            s.hours = b.hours();
            accounts.restore(b.account(), s);
        }
    }

    @Override
    public int trackedKeys() {
        return accounts.size();
    }

    public int trackedAccounts() {
        return accounts.size();
    }

    @Override
    public long keysDropped() {
        return accounts.dropped();
    }

    @Override
    public void forget(Predicate<String> partitions) {
        accounts.forget(partitions);
    }
}
