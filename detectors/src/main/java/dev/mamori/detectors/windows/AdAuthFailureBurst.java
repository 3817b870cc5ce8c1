package dev.mamori.detectors.windows;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.MultiKeyed;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code ad.auth_failure_burst}: {@code count} user failures (4625, 4771, 4776 and 4768 with a
 * failure code; not expired tickets or clock skew) for one account, or from one source, within
 * {@code window}: password guessing. And {@code spray_accounts} distinct accounts failing from one
 * source within the window: password spraying, which stays under the per-account count (and the
 * lockout) on purpose, so it has its own, lower threshold. When most of those accounts do not exist
 * (Kerberos 0x6, NTLM 0xC0000064) the source is enumerating account names, and the alert says so.
 * One alert per key per window.
 *
 * <p>State: a ring of the last {@code count} failure times per account and per source, and the
 * accounts seen failing per source (at most four times {@code spray_accounts} of them); all in
 * keyed states bounded by {@code maxKeys}, entries idle for a window evicted by {@link #tick}. Any
 * input thread may call {@link #inspect}; one key's entry is guarded by its own monitor.
 */
public final class AdAuthFailureBurst
        implements Detection<WindowsEvent>, Stateful, Persistent<AdAuthFailureBurst.Failures>, MultiKeyed {

    public static final Rule RULE = new Rule("ad.auth_failure_burst", Severity.HIGH, "T1110");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<WindowsEvent> SPEC = RuleSpec.of(
            RULE,
            WindowsEvent.class,
            (ctx, o) -> new AdAuthFailureBurst(
                    o.get().count("count"),
                    o.get().count("spray_accounts"),
                    o.get().window("window"),
                    ctx.maxKeys(),
                    ctx.alerts(),
                    ctx.timeBasis(),
                    ctx.clock(),
                    ctx.input()),
            OptionSpec.count("count", 10),
            OptionSpec.count("spray_accounts", 5),
            OptionSpec.window("window", Duration.ofMinutes(5)));

    /** When an account last failed from a source, and whether the name was unknown to the domain. */
    private record Tried(long at, boolean unknown) {}

    /**
     * One key's recent failures, oldest first; also the snapshot format, so a burst half counted on
     * one instance is finished on the next.
     *
     * @param by {@code account} or {@code source}
     */
    public record Failures(String by, String key, List<Long> times, long quietUntil, List<Attempt> accounts) {}

    /** An account that failed from a source. */
    public record Attempt(String account, long at, boolean unknown) {}

    /** The recent failures of one key. */
    private static final class Recent {
        final long[] times;
        int size;
        int next;
        long quietUntil = Long.MIN_VALUE;
        long newest;
        final Map<String, Tried> accounts = new HashMap<>();

        Recent(int count) {
            times = new long[count];
        }

        /** Adds a failure; true when the last {@code count} fall within the window. */
        boolean add(long now, long window) {
            times[next] = now;
            next = (next + 1) % times.length;
            size = Math.min(size + 1, times.length);
            newest = Math.max(newest, now);
            long oldest = times[size < times.length ? 0 : next];
            return size == times.length && now - oldest <= window;
        }

        /**
         * Records an account failing from this source. Past {@code cap} accounts within the window,
         * new ones are not recorded: the count is already far past the threshold.
         */
        void tried(String account, boolean unknown, long now, long window, int cap) {
            if (accounts.size() >= cap && !accounts.containsKey(account)) {
                accounts.values().removeIf(t -> now - t.at() > window);
                if (accounts.size() >= cap) {
                    return;
                }
            }
            Tried before = accounts.get(account);
            accounts.put(account, new Tried(now, unknown || (before != null && before.unknown())));
        }

        /** Distinct accounts failing within the window, and how many of those do not exist. */
        int[] distinct(long now, long window) {
            int n = 0;
            int unknown = 0;
            for (Tried t : accounts.values()) {
                if (now - t.at() <= window) {
                    n++;
                    unknown += t.unknown() ? 1 : 0;
                }
            }
            return new int[] {n, unknown};
        }
    }

    private final int count;
    private final int sprayAccounts;
    private final long windowMillis;
    private final AlertFactory alerts;
    private final TimeBasis timeBasis;
    private final Clock clock;
    private final ObserverInput input;
    /** Recent failures by account, and by source (address or workstation); each its own partition key. */
    private final KeyedState<String, Recent> byAccount;

    private final KeyedState<String, Recent> bySource;

    public AdAuthFailureBurst(
            int count,
            int sprayAccounts,
            Duration window,
            int maxKeys,
            AlertFactory alerts,
            TimeBasis timeBasis,
            Clock clock,
            ObserverInput input) {
        this.count = count;
        this.sprayAccounts = sprayAccounts;
        this.windowMillis = window.toMillis();
        this.byAccount = new KeyedState<>(maxKeys, account -> account);
        this.bySource = new KeyedState<>(maxKeys, source -> source);
        this.alerts = alerts;
        this.timeBasis = timeBasis;
        this.clock = clock;
        this.input = input;
    }

    @Override
    public Rule rule() {
        return RULE;
    }

    @Override
    public void inspect(WindowsEvent e, AlertSink sink) {
        Authentication a = Authentication.of(e);
        if (a == null || !a.userFailure()) {
            return;
        }
        long now = timeBasis.of(e.time(), clock).toEpochMilli();
        // Each half only where its key's state lives (Ownership: several instances, one event per key).
        Recent acc = byAccount.owns(a.account()) ? recent(byAccount, a.account()) : null;
        if (acc != null) {
            boolean fire;
            synchronized (acc) {
                fire = acc.add(now, windowMillis) && quiet(acc, now);
            }
            if (fire) {
                emit(e, a, count, a.rawAccount(), sink, "account", 0);
            }
        }
        String origin = a.origin();
        Recent src = origin == null || !bySource.owns(origin) ? null : recent(bySource, origin);
        if (src != null) {
            boolean burst;
            int[] distinct;
            synchronized (src) {
                burst = src.add(now, windowMillis);
                src.tried(a.account(), a.unknownAccount(), now, windowMillis, sprayAccounts * 4);
                distinct = src.distinct(now, windowMillis);
                burst = (burst || distinct[0] >= sprayAccounts) && quiet(src, now);
            }
            if (burst && distinct[0] >= sprayAccounts) {
                boolean enumeration = distinct[1] * 2 > distinct[0];
                emit(e, a, distinct[0], origin, sink, enumeration ? "enumeration" : "spraying", distinct[1]);
            } else if (burst) {
                emit(e, a, count, origin, sink, "source", 0);
            }
        }
    }

    private boolean quiet(Recent r, long now) {
        if (now < r.quietUntil) {
            return false;
        }
        r.quietUntil = now + windowMillis;
        return true;
    }

    private Recent recent(KeyedState<String, Recent> state, String key) {
        return state.getOrCreate(key, k -> new Recent(count));
    }

    private void emit(
            WindowsEvent e, Authentication a, int n, String subject, AlertSink sink, String kind, int unknown) {
        sink.emit(WindowsAlerts.start(alerts, RULE, input, e, clock)
                .field(AlertField.USER_NAME, a.rawAccount())
                .field(AlertField.SOURCE_IP, a.address())
                .field(AlertField.EVENT_ACTION, kind)
                .field(AlertField.EVENT_COUNT, n)
                .variant(kind)
                .args(n, subject, alerts.catalog().duration(Duration.ofMillis(windowMillis)), unknown)
                .build());
    }

    /** Forgets keys quiet for a whole window, so the maps hold only what is active. */
    @Override
    public void tick(Instant now, AlertSink sink) {
        long cutoff = now.toEpochMilli() - windowMillis;
        byAccount.evictIf((k, r) -> r.newest < cutoff);
        bySource.evictIf((k, r) -> r.newest < cutoff);
    }

    @Override
    public Class<Failures> entryType() {
        return Failures.class;
    }

    @Override
    public List<Failures> snapshot(Predicate<String> partitions) {
        List<Failures> out = new ArrayList<>();
        out.addAll(byAccount.snapshot(partitions, (k, r) -> saved("account", k, r)));
        out.addAll(bySource.snapshot(partitions, (k, r) -> saved("source", k, r)));
        return out;
    }

    private static Failures saved(String by, String key, Recent r) {
        synchronized (r) {
            List<Long> times = new ArrayList<>(r.size);
            int first = r.size < r.times.length ? 0 : r.next;
            for (int i = 0; i < r.size; i++) {
                times.add(r.times[(first + i) % r.times.length]);
            }
            List<Attempt> tried = new ArrayList<>();
            r.accounts.forEach((a, t) -> tried.add(new Attempt(a, t.at(), t.unknown())));
            return new Failures(by, key, times, r.quietUntil, tried);
        }
    }

    @Override
    public void restore(List<Failures> saved) {
        for (Failures f : saved) {
            if (f.key() == null || f.times() == null) {
                continue;
            }
            Recent r = new Recent(count);
            f.times().forEach(t -> r.add(t, windowMillis));
            r.quietUntil = f.quietUntil();
            if (f.accounts() != null) {
                f.accounts().forEach(a -> r.accounts.put(a.account(), new Tried(a.at(), a.unknown())));
            }
            (f.by().equals("source") ? bySource : byAccount).restore(f.key(), r);
        }
    }

    @Override
    public void forget(Predicate<String> partitions) {
        byAccount.forget(partitions);
        bySource.forget(partitions);
    }

    /** Nothing is held back: alerts go out when the threshold is reached. */
    @Override
    public void drain(AlertSink sink) {
        byAccount.clear();
        bySource.clear();
    }

    @Override
    public int trackedKeys() {
        return byAccount.size() + bySource.size();
    }

    @Override
    public long keysDropped() {
        return byAccount.dropped() + bySource.dropped();
    }
}
