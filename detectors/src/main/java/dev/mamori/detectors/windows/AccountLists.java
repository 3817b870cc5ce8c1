package dev.mamori.detectors.windows;

import dev.mamori.detectors.rule.RuleOptions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The account lists the AD detections judge by: accounts expected to hold privileges
 * ({@code site.privileged_accounts}), where privileged accounts may be used from, and accounts that
 * must not appear. Immutable; a reload swaps the whole object.
 */
public record AccountLists(Set<String> privileged, Map<String, List<String>> expectedHosts, List<String> denied) {

    public AccountLists {
        privileged = privileged.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        expectedHosts = Map.copyOf(expectedHosts);
        denied = List.copyOf(denied);
    }

    /**
     * The lists as they are now: {@code site.privileged_accounts}, and where a rule names them its
     * {@code hostsKey}/{@code deniedKey} options (null: none). Rebuilt only when a reload handed
     * over new ones, so a detection that compiles the lists does so once per reload.
     */
    public static Supplier<AccountLists> live(
            Supplier<Set<String>> privileged, Supplier<RuleOptions> options, String hostsKey, String deniedKey) {
        return new Supplier<>() {
            private Set<String> lastPrivileged;
            private RuleOptions lastOptions;
            private AccountLists lists;

            @Override
            public synchronized AccountLists get() {
                Set<String> p = privileged.get();
                RuleOptions o = options.get();
                if (lists == null || p != lastPrivileged || o != lastOptions) {
                    lists = new AccountLists(
                            p,
                            hostsKey == null ? Map.of() : o.accountHosts(hostsKey),
                            deniedKey == null ? List.of() : o.words(deniedKey));
                    lastPrivileged = p;
                    lastOptions = o;
                }
                return lists;
            }
        };
    }

    public boolean isPrivileged(String account) {
        return account != null && privileged.contains(account.toLowerCase(Locale.ROOT));
    }
}
