package dev.mamori.detectors.site;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv4.IPv4AddressTrie;
import inet.ipaddr.ipv6.IPv6AddressTrie;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * An immutable set of IPv4 and IPv6 addresses and CIDR blocks, answering "is this address inside"
 * with a prefix trie (one per address family). IPv4-mapped IPv6 addresses match IPv4 entries.
 */
public final class IpSet {

    /** Plain dotted-quad / RFC 4291 text only: no inet_aton shorthand, wildcards or ranges. */
    private static final IPAddressStringParameters STRICT = new IPAddressStringParameters.Builder()
            .allowEmpty(false)
            .allowAll(false)
            .allowSingleSegment(false)
            .allowWildcardedSeparator(false)
            .setEmptyAsLoopback(false)
            .getIPv4AddressParametersBuilder()
                .allow_inet_aton(false)
                .allowLeadingZeros(false)
                .allowWildcardedSeparator(false)
                .getParentBuilder()
            .getIPv6AddressParametersBuilder()
                .allowWildcardedSeparator(false)
                .getParentBuilder()
            .toParams();

    private static final IpSet EMPTY = new IpSet(List.of());

    private final IPv4AddressTrie v4 = new IPv4AddressTrie();
    private final IPv6AddressTrie v6 = new IPv6AddressTrie();
    private final List<String> entries;

    private IpSet(Collection<IPAddress> blocks) {
        List<String> texts = new ArrayList<>();
        for (IPAddress block : blocks) {
            if (block.isIPv4()) {
                v4.add(block.toIPv4());
            } else {
                v6.add(block.toIPv6());
            }
            texts.add(block.toCanonicalString());
        }
        this.entries = List.copyOf(texts);
    }

    public static IpSet empty() {
        return EMPTY;
    }

    /**
     * Parses entries such as {@code 10.0.0.0/8}, {@code 192.0.2.7} or {@code 2001:db8::/32}.
     *
     * @throws IllegalArgumentException naming the first entry that is not an address or CIDR block
     */
    public static IpSet of(Collection<String> texts) {
        List<IPAddress> blocks = new ArrayList<>(texts.size());
        for (String t : texts) {
            blocks.add(parseBlock(t));
        }
        return new IpSet(blocks);
    }

    /** Parses one address or CIDR block; host bits below the prefix are cleared. */
    public static IPAddress parseBlock(String text) {
        IPAddress a = parse(text, true);
        return a.getNetworkPrefixLength() == null ? a : a.toPrefixBlock();
    }

    /** Parses one single address (no prefix), or returns null when {@code text} is not one. */
    public static IPAddress parseAddressOrNull(String text) {
        try {
            return parse(text, false);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static IPAddress parse(String text, boolean prefixAllowed) {
        String t = text == null ? "" : text.strip();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
                    || c == '.' || c == ':' || (prefixAllowed && c == '/');
            if (!ok) {
                throw new IllegalArgumentException("not an IP address or CIDR block: '" + text + "'");
            }
        }
        try {
            IPAddress a = new IPAddressString(t, STRICT).toAddress();
            if (a == null || (a.isMultiple() && !a.isPrefixed())) {
                throw new IllegalArgumentException("not an IP address or CIDR block: '" + text + "'");
            }
            if (a.isIPv6() && a.isIPv4Convertible() && a.toIPv6().isIPv4Mapped()) {
                a = a.toIPv4();
            }
            return a;
        } catch (AddressStringException e) {
            throw new IllegalArgumentException("not an IP address or CIDR block: '" + text + "' ("
                    + e.getMessage() + ")", e);
        }
    }

    public boolean contains(IPAddress address) {
        if (address == null) {
            return false;
        }
        if (address.isIPv4()) {
            return v4.elementContains(address.toIPv4());
        }
        if (address.toIPv6().isIPv4Mapped()) {
            return v4.elementContains(address.toIPv6().getEmbeddedIPv4Address());
        }
        return v6.elementContains(address.toIPv6());
    }

    /** The most specific entry containing the literal address {@code text} (canonical form), or null. */
    public String longestMatch(String text) {
        IPAddress a = parseAddressOrNull(text);
        if (a == null) {
            return null;
        }
        IPAddress hit;
        if (a.isIPv4()) {
            hit = v4.longestPrefixMatch(a.toIPv4());
        } else if (a.toIPv6().isIPv4Mapped()) {
            hit = v4.longestPrefixMatch(a.toIPv6().getEmbeddedIPv4Address());
        } else {
            hit = v6.longestPrefixMatch(a.toIPv6());
        }
        return hit == null ? null : hit.toCanonicalString();
    }

    /** Whether the literal address {@code text} is inside; false for anything that is not an address. */
    public boolean contains(String text) {
        return contains(parseAddressOrNull(text));
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The entries in canonical form, in the order given. */
    public List<String> entries() {
        return entries;
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
