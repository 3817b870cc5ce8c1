package dev.mamori.detectors.site;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6AddressTrie;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * An immutable set of IPv4 and IPv6 addresses and CIDR blocks, answering "is this address inside"
 * and "which entry". IPv4 (the per-event hot path) uses hash tables per prefix length; IPv6 a
 * prefix trie. IPv4-mapped IPv6 addresses match IPv4 entries.
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

    /**
     * IPv4 entries by prefix length: network address -> entry text. A lookup masks the address once
     * per prefix length present (at most 33 hash probes, usually a handful), which measured several
     * times faster than walking a trie of parsed address objects on the per-event path.
     */
    private final Ipv4Table[] v4ByPrefix = new Ipv4Table[33];

    private final int[] v4Prefixes;
    private final IPv6AddressTrie v6 = new IPv6AddressTrie();
    private final List<String> entries;

    private IpSet(Collection<IPAddress> blocks) {
        List<String> texts = new ArrayList<>();
        for (IPAddress block : blocks) {
            String text = block.toCanonicalString();
            if (block.isIPv4()) {
                Integer prefix = block.getNetworkPrefixLength();
                int p = prefix == null ? 32 : prefix;
                int network = block.getLower().toIPv4().intValue();
                if (v4ByPrefix[p] == null) {
                    v4ByPrefix[p] = new Ipv4Table();
                }
                v4ByPrefix[p].putIfAbsent(network & mask(p), text);
            } else {
                v6.add(block.toIPv6());
            }
            texts.add(text);
        }
        this.entries = List.copyOf(texts);
        int[] present = new int[33];
        int n = 0;
        for (int p = 32; p >= 0; p--) {
            if (v4ByPrefix[p] != null) {
                present[n++] = p;
            }
        }
        this.v4Prefixes = Arrays.copyOf(present, n);
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    /** The most specific IPv4 entry containing {@code address}, or null. */
    private String matchV4(int address) {
        for (int p : v4Prefixes) {
            String hit = v4ByPrefix[p].get(address & mask(p));
            if (hit != null) {
                return hit;
            }
        }
        return null;
    }

    /**
     * Parses plain dotted-quad IPv4 text without leading zeros (which is then also its canonical
     * form); returns -1 for anything else, so callers fall back to the general parser.
     */
    public static long parseIpv4(String s) {
        int n = s.length();
        if (n < 7 || n > 15) {
            return -1;
        }
        long value = 0;
        int part = 0;
        int digits = 0;
        int parts = 0;
        for (int i = 0; i <= n; i++) {
            char c = i == n ? '.' : s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits > 0 && part == 0) {
                    return -1; // leading zero
                }
                part = part * 10 + (c - '0');
                if (++digits > 3 || part > 255) {
                    return -1;
                }
            } else if (c == '.' && digits > 0) {
                value = (value << 8) | part;
                parts++;
                part = 0;
                digits = 0;
            } else {
                return -1;
            }
        }
        return parts == 4 ? value : -1;
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
        if (text == null) {
            return null;
        }
        long v4 = parseIpv4(text);
        if (v4 >= 0) {
            return new IPv4Address((int) v4);
        }
        if (!addressCharacters(text.strip(), false)) {
            // a host name, usually: answered without building an exception, which cost 11% of the
            // ICAP request path when every request named a host
            return null;
        }
        try {
            return parse(text, false);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Only the characters an IPv4 or IPv6 address (or with {@code prefix}, a CIDR block) is written with. */
    private static boolean addressCharacters(String t, boolean prefix) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            boolean ok = (c >= '0' && c <= '9')
                    || (c >= 'a' && c <= 'f')
                    || (c >= 'A' && c <= 'F')
                    || c == '.'
                    || c == ':'
                    || (prefix && c == '/');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static IPAddress parse(String text, boolean prefixAllowed) {
        String t = text == null ? "" : text.strip();
        if (!addressCharacters(t, prefixAllowed)) {
            throw new IllegalArgumentException("not an IP address or CIDR block: '" + text + "'");
        }
        int slash = t.indexOf('/');
        if (slash >= 0 && t.length() - slash - 1 > 3) {
            // a prefix length is at most 128; longer ones overflow inside the ipaddress library
            // (found by ParsersFuzzTest#indicatorLists), so they are refused before it sees them
            throw new IllegalArgumentException("not an IP address or CIDR block: '" + text + "' (prefix length)");
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
            throw new IllegalArgumentException(
                    "not an IP address or CIDR block: '" + text + "' (" + e.getMessage() + ")", e);
        }
    }

    public boolean contains(IPAddress address) {
        if (address == null) {
            return false;
        }
        if (address.isIPv4()) {
            return matchV4(address.toIPv4().intValue()) != null;
        }
        if (address.toIPv6().isIPv4Mapped()) {
            return matchV4(address.toIPv6().getEmbeddedIPv4Address().intValue()) != null;
        }
        return v6.elementContains(address.toIPv6());
    }

    /** The most specific entry containing the literal address {@code text} (canonical form), or null. */
    public String longestMatch(String text) {
        if (text == null) {
            return null;
        }
        long v4 = parseIpv4(text);
        if (v4 >= 0) {
            return matchV4((int) v4);
        }
        IPAddress a = parseAddressOrNull(text);
        if (a == null) {
            return null;
        }
        if (a.isIPv4()) {
            return matchV4(a.toIPv4().intValue());
        }
        if (a.toIPv6().isIPv4Mapped()) {
            return matchV4(a.toIPv6().getEmbeddedIPv4Address().intValue());
        }
        IPAddress hit = v6.longestPrefixMatch(a.toIPv6());
        return hit == null ? null : hit.toCanonicalString();
    }

    /** Whether the literal address {@code text} is inside; false for anything that is not an address. */
    public boolean contains(String text) {
        if (text == null) {
            return false;
        }
        long v4 = parseIpv4(text);
        if (v4 >= 0) {
            return matchV4((int) v4) != null;
        }
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
