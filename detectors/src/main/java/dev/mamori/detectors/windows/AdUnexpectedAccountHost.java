package dev.mamori.detectors.windows;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.OptionSpec;
import dev.mamori.detectors.rule.RuleSpec;
import dev.mamori.detectors.rule.Stateful;
import dev.mamori.detectors.site.IpSet;
import dev.mamori.detectors.state.KeyedState;
import dev.mamori.detectors.state.TimeBasis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code ad.unexpected_account_host}: a privileged account authenticated (4624, 4625, 4768, 4769,
 * 4776) from a host outside those configured for it (addresses, CIDR blocks or workstation names),
 * or an account on the denied list appeared at all. Admin accounts used from ordinary terminals are
 * how lateral movement shows. Also a local account (its domain is the computer's own name) logging
 * on over the network (4624 type 3) to {@code shared_local_hosts} computers within
 * {@code shared_local_window}: one local administrator password shared by many machines, which the
 * guide names as what lets an attacker move from one to all.
 *
 * <p>State (the shared-local-account part only): per local account name, the computers it logged
 * on to recently, bounded; one alert per account per window.
 */
public final class AdUnexpectedAccountHost implements Detection<WindowsEvent>, Stateful {

    public static final Rule RULE = new Rule("ad.unexpected_account_host", Severity.HIGH, "T1078.002");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<WindowsEvent> SPEC = RuleSpec.of(
            RULE,
            WindowsEvent.class,
            (ctx, o) -> new AdUnexpectedAccountHost(
                    AccountLists.live(ctx.privilegedAccounts(), o, "expected_hosts", "denied_accounts"),
                    o.get().count("shared_local_hosts"),
                    o.get().window("shared_local_window"),
                    ctx.maxKeys(),
                    ctx.alerts(),
                    ctx.timeBasis(),
                    ctx.input(),
                    ctx.clock()),
            OptionSpec.accountHosts("expected_hosts"),
            OptionSpec.words("denied_accounts", List.of()),
            OptionSpec.count("shared_local_hosts", 5),
            OptionSpec.window("shared_local_window", Duration.ofHours(1)));

    /** Where one local account logged on over the network lately, and when it last alerted. */
    private static final class LocalUse {
        final Map<String, Long> computers = new HashMap<>();
        long quietUntil = Long.MIN_VALUE;
        long newest;
    }

    /** Where one account may be used from. */
    private record Expected(IpSet addresses, Set<String> hosts) {
        boolean allows(Authentication a) {
            return (a.address() != null && addresses.contains(a.address()))
                    || (a.workstation() != null
                            && hosts.contains(a.workstation().toUpperCase(Locale.ROOT)));
        }
    }

    /** The lists compiled for matching, and the lists object they came from. */
    private record Compiled(AccountLists source, Map<String, Expected> expected, Set<String> denied) {}

    private final Supplier<AccountLists> accounts;
    private final int sharedLocalHosts;
    private final long sharedWindowMillis;
    private final AlertFactory alerts;
    private final TimeBasis timeBasis;
    private final ObserverInput input;
    private final Clock clock;
    private final KeyedState<String, LocalUse> localUse;
    private volatile Compiled compiled;

    /** Judges by {@code accounts}: expected hosts (addresses, CIDR blocks or host names) and denied accounts. */
    public AdUnexpectedAccountHost(
            Supplier<AccountLists> accounts, AlertFactory alerts, ObserverInput input, Clock clock) {
        this(accounts, 5, Duration.ofHours(1), 100_000, alerts, TimeBasis.EVENT, input, clock);
    }

    public AdUnexpectedAccountHost(
            Supplier<AccountLists> accounts,
            int sharedLocalHosts,
            Duration sharedLocalWindow,
            int maxKeys,
            AlertFactory alerts,
            TimeBasis timeBasis,
            ObserverInput input,
            Clock clock) {
        this.accounts = accounts;
        this.sharedLocalHosts = sharedLocalHosts;
        this.sharedWindowMillis = sharedLocalWindow.toMillis();
        this.alerts = alerts;
        this.timeBasis = timeBasis;
        this.input = input;
        this.clock = clock;
        this.localUse = new KeyedState<>(maxKeys, account -> account);
    }

    /** The compiled lists; recompiled once after a reload swapped them. */
    private Compiled lists() {
        AccountLists now = accounts.get();
        Compiled c = compiled;
        if (c == null || c.source() != now) {
            c = compile(now);
            compiled = c;
        }
        return c;
    }

    private static Compiled compile(AccountLists lists) {
        Map<String, Expected> m = new HashMap<>();
        lists.expectedHosts().forEach((account, entries) -> {
            List<String> ips = new ArrayList<>();
            Set<String> hosts = new HashSet<>();
            for (String entry : entries) {
                try {
                    IpSet.parseBlock(entry);
                    ips.add(entry);
                } catch (IllegalArgumentException notAnAddress) {
                    hosts.add(entry.toUpperCase(Locale.ROOT));
                }
            }
            m.put(Accounts.normalise(account), new Expected(IpSet.of(ips), Set.copyOf(hosts)));
        });
        Set<String> d = new HashSet<>();
        lists.denied().forEach(a -> d.add(Accounts.normalise(a)));
        return new Compiled(lists, Map.copyOf(m), Set.copyOf(d));
    }

    @Override
    public Rule rule() {
        return RULE;
    }

    @Override
    public void inspect(WindowsEvent e, AlertSink sink) {
        Authentication a = Authentication.of(e);
        if (a == null || a.eventId() == 4771) {
            return;
        }
        sharedLocal(e, a, sink);
        Compiled c = lists();
        Expected allowed = c.expected().get(a.account());
        boolean deniedAccount = c.denied().contains(a.account());
        if (!deniedAccount && (allowed == null || allowed.allows(a))) {
            return;
        }
        String origin = a.origin();
        sink.emit(WindowsAlerts.start(alerts, RULE, input, e, clock)
                .field(AlertField.USER_NAME, a.rawAccount())
                .field(AlertField.SOURCE_IP, a.address())
                .field(AlertField.EVENT_ACTION, deniedAccount ? "denied_account" : "unexpected_host")
                .args(a.rawAccount(), origin == null ? alerts.catalog().text("unknown_host") : origin)
                .build());
    }

    /** A local account's network logons, counted across computers. */
    private void sharedLocal(WindowsEvent e, Authentication a, AlertSink sink) {
        if (a.eventId() != 4624 || e.number("LogonType") != 3 || Accounts.isBuiltIn(a.account())) {
            return;
        }
        String domain = e.field("TargetDomainName");
        String computer = e.computerShortName();
        if (domain == null || computer == null || !domain.equalsIgnoreCase(computer)) {
            return; // a domain account, or one whose home cannot be told
        }
        long now = timeBasis.of(e.time(), clock).toEpochMilli();
        LocalUse use = localUse.getOrCreate(a.account(), k -> new LocalUse());
        if (use == null) {
            return;
        }
        int hosts;
        synchronized (use) {
            use.newest = Math.max(use.newest, now);
            use.computers.put(computer.toUpperCase(Locale.ROOT), now);
            use.computers.values().removeIf(t -> now - t > sharedWindowMillis);
            if (use.computers.size() > sharedLocalHosts * 4) {
                use.computers.entrySet().removeIf(x -> use.computers.size() > sharedLocalHosts * 4);
            }
            hosts = use.computers.size();
            if (hosts < sharedLocalHosts || now < use.quietUntil) {
                return;
            }
            use.quietUntil = now + sharedWindowMillis;
        }
        sink.emit(WindowsAlerts.start(alerts, RULE, input, e, clock)
                .severity(Severity.HIGH)
                .field(AlertField.USER_NAME, a.rawAccount())
                .field(AlertField.SOURCE_IP, a.address())
                .field(AlertField.EVENT_ACTION, "shared_local_account")
                .field(AlertField.EVENT_COUNT, hosts)
                .variant("shared_local_account")
                .args(a.rawAccount(), hosts, alerts.catalog().duration(Duration.ofMillis(sharedWindowMillis)))
                .build());
    }

    @Override
    public void tick(Instant now, AlertSink sink) {
        long cutoff = now.toEpochMilli() - sharedWindowMillis;
        localUse.evictIf((k, u) -> {
            synchronized (u) {
                return u.newest < cutoff;
            }
        });
    }

    @Override
    public void drain(AlertSink sink) {}

    @Override
    public int trackedKeys() {
        return localUse.size();
    }

    @Override
    public long keysDropped() {
        return localUse.dropped();
    }
}
