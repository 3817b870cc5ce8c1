package dev.mamori.detectors.site;

import dev.mamori.detectors.alert.Language;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The protected site as the detections see it ({@code site:} in the configuration). Zone names and
 * account names are kept lower-case, because firewalls and Windows compare them case-insensitively.
 */
public record SiteProfile(
        IpSet internalNetworks,
        Set<String> externalZones,
        ZoneId timezone,
        BusinessHours businessHours,
        List<AdDomain> adDomains,
        Set<String> privilegedAccounts,
        Language language,
        Set<String> privilegedGroups,
        IpSet clientNetworks,
        IpSet adminNetworks) {

    /** The groups whose membership is privilege, as DESIGN names them. */
    public static final Set<String> DEFAULT_PRIVILEGED_GROUPS = Set.of(
            "Domain Admins",
            "Enterprise Admins",
            "Schema Admins",
            "Administrators",
            "Account Operators",
            "Backup Operators");

    public SiteProfile {
        externalZones = lowerCase(externalZones);
        privilegedAccounts = lowerCase(privilegedAccounts);
        privilegedGroups = lowerCase(privilegedGroups);
        adDomains = List.copyOf(adDomains);
    }

    /** A site with the default privileged groups and no client or admin segments named. */
    public SiteProfile(
            IpSet internalNetworks,
            Set<String> externalZones,
            ZoneId timezone,
            BusinessHours businessHours,
            List<AdDomain> adDomains,
            Set<String> privilegedAccounts,
            Language language) {
        this(
                internalNetworks,
                externalZones,
                timezone,
                businessHours,
                adDomains,
                privilegedAccounts,
                language,
                DEFAULT_PRIVILEGED_GROUPS,
                IpSet.empty(),
                IpSet.empty());
    }

    public boolean isPrivilegedGroup(String group) {
        return group != null && privilegedGroups.contains(group.strip().toLowerCase(Locale.ROOT));
    }

    public boolean isInternal(String ip) {
        return internalNetworks.contains(ip);
    }

    public boolean isExternalZone(String zone) {
        return zone != null && externalZones.contains(zone.toLowerCase(Locale.ROOT));
    }

    public boolean isPrivileged(String account) {
        return account != null && privilegedAccounts.contains(account.toLowerCase(Locale.ROOT));
    }

    public boolean isBusinessHours(Instant when) {
        return businessHours.contains(when.atZone(timezone));
    }

    private static Set<String> lowerCase(Set<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
