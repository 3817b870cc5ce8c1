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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code ad.new_account_host}: an account authenticates (4624, 4625, 4768, 4769, 4776) from a host or
 * address it has not used before. Each account first learns where it is used for
 * {@code learning_period} from its first sighting, silently; after that, a new origin alerts once
 * and is learned. The guide's "unexpected account/host pairs" for every account, where
 * {@code ad.unexpected_account_host} checks only the accounts the configuration lists.
 *
 * <p>State: per account (the partition key) the origins seen, at most {@code max_hosts} (the least
 * recently used give way), and when learning started; accounts silent for {@code forget_after}
 * are forgotten. Kept across restarts.
 */
public final class AdNewAccountHost implements Detection<WindowsEvent>, Stateful, Persistent<AdNewAccountHost.Known> {

    public static final Rule RULE = new Rule("ad.new_account_host", Severity.MEDIUM, "T1078");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<WindowsEvent> SPEC = RuleSpec.of(
            RULE,
            WindowsEvent.class,
            (ctx, o) -> new AdNewAccountHost(
                    o.get().window("learning_period"),
                    o.get().count("max_hosts"),
                    o.get().window("forget_after"),
                    ctx.maxKeys(),
                    ctx.alerts(),
                    ctx.timeBasis(),
                    ctx.clock(),
                    ctx.input()),
            OptionSpec.window("learning_period", Duration.ofDays(7)),
            OptionSpec.count("max_hosts", 50),
            OptionSpec.window("forget_after", Duration.ofDays(90)));

    /** What is known of one account; also the snapshot format. */
    public record Known(String account, long learningSince, long lastSeen, List<String> origins) {}

    private static final class Account {
        final long learningSince;
        long lastSeen;
        final LinkedHashSet<String> origins = new LinkedHashSet<>();

        Account(long learningSince) {
            this.learningSince = learningSince;
            this.lastSeen = learningSince;
        }
    }

    private final long learningMillis;
    private final int maxHosts;
    private final long forgetMillis;
    private final AlertFactory alerts;
    private final TimeBasis timeBasis;
    private final Clock clock;
    private final ObserverInput input;
    private final KeyedState<String, Account> accounts;

    public AdNewAccountHost(
            Duration learningPeriod,
            int maxHosts,
            Duration forgetAfter,
            int maxKeys,
            AlertFactory alerts,
            TimeBasis timeBasis,
            Clock clock,
            ObserverInput input) {
        this.learningMillis = learningPeriod.toMillis();
        this.maxHosts = maxHosts;
        this.forgetMillis = forgetAfter.toMillis();
        this.alerts = alerts;
        this.timeBasis = timeBasis;
        this.clock = clock;
        this.input = input;
        this.accounts = new KeyedState<>(maxKeys, account -> account);
    }

    @Override
    public Rule rule() {
        return RULE;
    }

    @Override
    public void inspect(WindowsEvent e, AlertSink sink) {
        Authentication a = Authentication.of(e);
        if (a == null || a.eventId() == 4771 || Accounts.isBuiltIn(a.account())) {
            return;
        }
        String origin = a.origin();
        if (origin == null || origin.equals("::1") || origin.equals("127.0.0.1") || origin.equals("-")) {
            return;
        }
        origin = origin.toLowerCase(java.util.Locale.ROOT);
        long now = timeBasis.of(e.time(), clock).toEpochMilli();
        Account s = accounts.getOrCreate(a.account(), k -> new Account(now));
        if (s == null) {
            return;
        }
        boolean fire;
        synchronized (s) {
            s.lastSeen = Math.max(s.lastSeen, now);
            boolean known = s.origins.remove(origin);
            s.origins.add(origin); // most recently used last
            if (s.origins.size() > maxHosts) {
                Iterator<String> oldest = s.origins.iterator();
                oldest.next();
                oldest.remove();
            }
            fire = !known && now - s.learningSince >= learningMillis;
        }
        if (fire) {
            sink.emit(WindowsAlerts.start(alerts, RULE, input, e, clock)
                    .field(AlertField.USER_NAME, a.rawAccount())
                    .field(AlertField.SOURCE_IP, a.address())
                    .args(a.rawAccount(), a.origin())
                    .build());
        }
    }

    @Override
    public void tick(Instant now, AlertSink sink) {
        long cutoff = now.toEpochMilli() - forgetMillis;
        accounts.evictIf((k, s) -> {
            synchronized (s) {
                return s.lastSeen < cutoff;
            }
        });
    }

    /** Nothing is held back; what was learned stays (it is persisted, not flushed). */
    @Override
    public void drain(AlertSink sink) {}

    @Override
    public int trackedKeys() {
        return accounts.size();
    }

    @Override
    public long keysDropped() {
        return accounts.dropped();
    }

    @Override
    public Class<Known> entryType() {
        return Known.class;
    }

    @Override
    public List<Known> snapshot(Predicate<String> partitions) {
        return accounts.snapshot(partitions, (account, s) -> {
            synchronized (s) {
                return new Known(account, s.learningSince, s.lastSeen, new ArrayList<>(s.origins));
            }
        });
    }

    @Override
    public void restore(List<Known> saved) {
        for (Known k : saved) {
            if (k.account() == null || k.origins() == null) {
                continue;
            }
            Account s = new Account(k.learningSince());
            s.lastSeen = k.lastSeen();
            k.origins().stream().filter(o -> o != null).limit(maxHosts).forEach(s.origins::add);
            accounts.restore(k.account(), s);
        }
    }

    @Override
    public void forget(Predicate<String> partitions) {
        accounts.forget(partitions);
    }
}
