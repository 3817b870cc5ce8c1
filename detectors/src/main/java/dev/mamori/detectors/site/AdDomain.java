package dev.mamori.detectors.site;

import java.util.Locale;
import java.util.Objects;

/** One Active Directory domain by both of its names, e.g. {@code CORP} and {@code corp.example.com}. */
public record AdDomain(String netbios, String fqdn) {
    public AdDomain {
        Objects.requireNonNull(netbios, "netbios");
        Objects.requireNonNull(fqdn, "fqdn");
    }

    /** Whether {@code name} is this domain's NetBIOS name, compared case-insensitively. */
    public boolean isNetbios(String name) {
        return netbios.equalsIgnoreCase(name);
    }

    public boolean isFqdn(String name) {
        return name != null && fqdn.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT));
    }
}
