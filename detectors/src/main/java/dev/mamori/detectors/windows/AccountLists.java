package dev.mamori.detectors.windows;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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

    public boolean isPrivileged(String account) {
        return account != null && privileged.contains(account.toLowerCase(Locale.ROOT));
    }
}
