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
import dev.mamori.detectors.site.IpSet;
import java.time.Clock;
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
 * how lateral movement shows.
 */
public final class AdUnexpectedAccountHost implements Detection<WindowsEvent> {

    public static final Rule RULE = new Rule("ad.unexpected_account_host", Severity.HIGH, "T1078.002");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<WindowsEvent> SPEC = RuleSpec.of(
            RULE,
            WindowsEvent.class,
            (ctx, o) -> new AdUnexpectedAccountHost(
                    AccountLists.live(ctx.privilegedAccounts(), o, "expected_hosts", "denied_accounts"), ctx.alerts(),
                    ctx.input(), ctx.clock()),
            OptionSpec.accountHosts("expected_hosts"),
            OptionSpec.words("denied_accounts", List.of()));

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
    private final AlertFactory alerts;
    private final ObserverInput input;
    private final Clock clock;
    private volatile Compiled compiled;

    /** Judges by {@code accounts}: expected hosts (addresses, CIDR blocks or host names) and denied accounts. */
    public AdUnexpectedAccountHost(
            Supplier<AccountLists> accounts, AlertFactory alerts, ObserverInput input, Clock clock) {
        this.accounts = accounts;
        this.alerts = alerts;
        this.input = input;
        this.clock = clock;
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
}
