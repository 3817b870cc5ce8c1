package dev.mamori.detectors.intel;

import dev.mamori.detectors.site.IpSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An immutable set of indicators: IP addresses and CIDR blocks, and domains (a domain also matches
 * its subdomains). Built from plain lists, one entry per line, {@code #} comments; a URL entry
 * contributes its host.
 */
public final class Indicators {

    /** A line that could not be read, for the operator. */
    public record Problem(String source, int line, String message) {
        @Override
        public String toString() {
            return source + ":" + line + ": " + message;
        }
    }

    private static final Indicators EMPTY = new Indicators(IpSet.empty(), Set.of());

    private final IpSet ips;
    private final Set<String> domains;

    private Indicators(IpSet ips, Set<String> domains) {
        this.ips = ips;
        this.domains = Set.copyOf(domains);
    }

    public static Indicators empty() {
        return EMPTY;
    }

    /** Collects entries from several lists; problems are added to {@code problems}. */
    public static final class Builder {
        private final List<String> ipEntries = new ArrayList<>();
        private final Set<String> domainEntries = new HashSet<>();

        public Builder read(String source, Reader reader, List<Problem> problems) throws IOException {
            BufferedReader r = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
            int n = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                n++;
                int hash = line.indexOf('#');
                String entry = (hash >= 0 ? line.substring(0, hash) : line).strip();
                if (entry.isEmpty()) {
                    continue;
                }
                String error = add(entry);
                if (error != null) {
                    problems.add(new Problem(source, n, error));
                }
            }
            return this;
        }

        /** Adds one entry; returns why it was refused, or null. */
        public String add(String entry) {
            String e = entry;
            int scheme = e.indexOf("://");
            if (scheme > 0) {
                e = e.substring(scheme + 3);
                int end = indexOfAny(e, "/?#");
                e = end >= 0 ? e.substring(0, end) : e;
                int at = e.lastIndexOf('@');
                e = at >= 0 ? e.substring(at + 1) : e;
                if (e.startsWith("[")) {
                    e = e.substring(1, Math.max(1, e.indexOf(']')));
                } else if (e.indexOf(':') == e.lastIndexOf(':') && e.indexOf(':') > 0) {
                    e = e.substring(0, e.indexOf(':'));
                }
            }
            try {
                IpSet.parseBlock(e);
                ipEntries.add(e);
                return null;
            } catch (IllegalArgumentException notAnAddress) {
                String d = Domains.normalise(e);
                if (d == null) {
                    return "not an IP address, CIDR block, domain or URL: '" + entry + "'";
                }
                domainEntries.add(d);
                return null;
            }
        }

        public Indicators build() {
            return new Indicators(IpSet.of(ipEntries), domainEntries);
        }

        private static int indexOfAny(String s, String chars) {
            for (int i = 0; i < s.length(); i++) {
                if (chars.indexOf(s.charAt(i)) >= 0) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** The indicator block containing {@code ip} (canonical text), or null. */
    public String matchIp(String ip) {
        return ips.longestMatch(ip);
    }

    /** The listed domain that {@code host} is, or is a subdomain of; null if none. */
    public String matchDomain(String host) {
        String h = Domains.normalise(host);
        if (h == null) {
            return null;
        }
        for (int i = -1; i < h.length(); i = h.indexOf('.', i + 1)) {
            String candidate = h.substring(i + 1);
            if (domains.contains(candidate)) {
                return candidate;
            }
            if (h.indexOf('.', i + 1) < 0) {
                break;
            }
        }
        return null;
    }

    public int size() {
        return ips.entries().size() + domains.size();
    }

    /** Domain name checks and normal form (lower case, no trailing dot). */
    static final class Domains {
        private Domains() {
        }

        static String normalise(String text) {
            if (text == null) {
                return null;
            }
            String d = text.strip().toLowerCase(Locale.ROOT);
            if (d.endsWith(".")) {
                d = d.substring(0, d.length() - 1);
            }
            if (d.isEmpty() || d.length() > 253 || d.startsWith(".") || d.contains("..")) {
                return null;
            }
            for (int i = 0; i < d.length(); i++) {
                char c = d.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
                        || c > 127)) {
                    return null;
                }
            }
            return d;
        }
    }
}
