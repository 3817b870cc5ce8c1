package dev.mamori.detectors.intel;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mamori.detectors.site.IpSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An immutable set of indicators: IP addresses and CIDR blocks, domains (a domain also matches
 * its subdomains), and URLs with a path (they match that path and below on that host only, so one
 * bad page of a shared hosting site does not flag all of it). Built from plain lists, one entry per
 * line, {@code #} comments; a URL without a path counts as its host.
 */
public final class Indicators {

    /** A line that could not be read, for the operator. */
    public record Problem(String source, int line, String message) {
        @Override
        public String toString() {
            return source + ":" + line + ": " + message;
        }
    }

    private static final Indicators EMPTY = new Indicators(IpSet.empty(), Set.of(), Map.of());

    private final IpSet ips;
    private final Set<String> domains;
    /** Host (lower case) to the listed paths on it. */
    private final Map<String, List<String>> urls;

    private Indicators(IpSet ips, Set<String> domains, Map<String, List<String>> urls) {
        this.ips = ips;
        this.domains = Set.copyOf(domains);
        Map<String, List<String>> u = new HashMap<>();
        urls.forEach((h, paths) -> u.put(h, List.copyOf(paths)));
        this.urls = Map.copyOf(u);
    }

    public static Indicators empty() {
        return EMPTY;
    }

    /** Collects entries from several lists; problems are added to {@code problems}. */
    public static final class Builder {
        private final List<String> ipEntries = new ArrayList<>();
        private final Set<String> domainEntries = new HashSet<>();
        private final Map<String, List<String>> urlEntries = new HashMap<>();

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

        /**
         * Reads a CSV list, taking the indicator from one column: a 1-based number, or a header name
         * (then the first row is the header). Lines starting with '#' are comments.
         */
        public Builder readCsv(String source, Reader reader, String column, List<Problem> problems) throws IOException {
            BufferedReader r = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
            int index = -1;
            try {
                index = Integer.parseInt(column.strip()) - 1;
            } catch (NumberFormatException byName) {
                index = -1;
            }
            int n = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                List<String> cells = csv(line);
                if (index < 0) {
                    for (int i = 0; i < cells.size(); i++) {
                        if (cells.get(i).strip().equalsIgnoreCase(column.strip())) {
                            index = i;
                        }
                    }
                    if (index < 0) {
                        problems.add(new Problem(source, n, "no column named '" + column + "' in the header"));
                        return this;
                    }
                    continue;
                }
                if (index >= cells.size()) {
                    problems.add(new Problem(source, n, "fewer than " + (index + 1) + " columns"));
                    continue;
                }
                String error = add(cells.get(index).strip());
                if (error != null) {
                    problems.add(new Problem(source, n, error));
                }
            }
            return this;
        }

        /**
         * Reads a STIX 2.1 bundle's indicators with simple patterns: {@code [ipv4-addr:value = '...']},
         * {@code ipv6-addr}, {@code domain-name}, {@code url}, alone or joined by OR. Revoked or
         * expired indicators and other pattern shapes are skipped (counted in the returned number).
         *
         * @return how many indicator objects were skipped as unsupported, revoked or expired
         */
        public int readStix(String source, InputStream in, List<Problem> problems) throws IOException {
            int skipped = 0;
            ObjectMapper json = new ObjectMapper();
            try (JsonParser p = json.getFactory().createParser(in)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    problems.add(new Problem(source, 1, "not a STIX bundle (a JSON object)"));
                    return 0;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    if (!field.equals("objects") || p.currentToken() != JsonToken.START_ARRAY) {
                        p.skipChildren();
                        continue;
                    }
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        int line = p.currentLocation().getLineNr();
                        JsonNode o = json.readTree(p);
                        if (!"indicator".equals(o.path("type").asText())) {
                            continue;
                        }
                        if (o.path("revoked").asBoolean(false)
                                || expired(o.path("valid_until").asText(null))) {
                            skipped++;
                            continue;
                        }
                        List<String> values = stixValues(o.path("pattern").asText(""));
                        if (values == null) {
                            skipped++;
                            continue;
                        }
                        for (String v : values) {
                            String error = add(v);
                            if (error != null) {
                                problems.add(new Problem(source, line, error));
                            }
                        }
                    }
                }
            } catch (JsonProcessingException e) {
                problems.add(new Problem(
                        source,
                        e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                        "not valid JSON: " + e.getOriginalMessage()));
            }
            return skipped;
        }

        private static boolean expired(String validUntil) {
            if (validUntil == null) {
                return false;
            }
            try {
                return Instant.parse(validUntil).isBefore(Instant.now());
            } catch (DateTimeParseException e) {
                return false;
            }
        }

        private static final Pattern COMPARISON =
                Pattern.compile("\\s*(ipv4-addr|ipv6-addr|domain-name|url):value\\s*=\\s*'((?:[^'\\\\]|\\\\.)*)'\\s*");

        /** The values of a pattern made only of simple comparisons joined by OR; null otherwise. */
        static List<String> stixValues(String pattern) {
            String p = pattern.strip();
            if (!p.startsWith("[") || !p.endsWith("]")) {
                return null;
            }
            List<String> out = new ArrayList<>();
            for (String part : p.substring(1, p.length() - 1).split("\\bOR\\b")) {
                Matcher m = COMPARISON.matcher(part);
                if (!m.matches()) {
                    return null;
                }
                out.add(m.group(2).replace("\\'", "'").replace("\\\\", "\\"));
            }
            return out;
        }

        private static List<String> csv(String line) {
            List<String> out = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        cell.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    out.add(cell.toString());
                    cell.setLength(0);
                } else {
                    cell.append(c);
                }
            }
            out.add(cell.toString());
            return out;
        }

        /** Adds one entry; returns why it was refused, or null. */
        public String add(String entry) {
            String e = entry;
            String path = null;
            int scheme = e.indexOf("://");
            if (scheme > 0) {
                e = e.substring(scheme + 3);
                int end = indexOfAny(e, "/?#");
                path = end >= 0 ? e.substring(end) : null;
                e = end >= 0 ? e.substring(0, end) : e;
                int at = e.lastIndexOf('@');
                e = at >= 0 ? e.substring(at + 1) : e;
                if (e.startsWith("[")) {
                    e = e.substring(1, Math.max(1, e.indexOf(']')));
                } else if (e.indexOf(':') == e.lastIndexOf(':') && e.indexOf(':') > 0) {
                    e = e.substring(0, e.indexOf(':'));
                }
            }
            path = path == null ? null : pathOnly(path);
            if (path != null && !path.equals("/")) {
                String host = IpSet.parseAddressOrNull(e) != null ? canonicalIp(e) : Domains.normalise(e);
                if (host == null) {
                    return "not an IP address, CIDR block, domain or URL: '" + entry + "'";
                }
                urlEntries.computeIfAbsent(host, h -> new ArrayList<>()).add(path);
                return null;
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
            return new Indicators(IpSet.of(ipEntries), domainEntries, urlEntries);
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

    /**
     * The listed URL whose host is {@code host} and whose path {@code path} equals or lies below
     * (written {@code host/path}); null if none.
     */
    public String matchUrl(String host, String path) {
        if (urls.isEmpty() || host == null) {
            return null;
        }
        String h = IpSet.parseAddressOrNull(host) != null ? canonicalIp(host) : Domains.normalise(host);
        List<String> listed = h == null ? null : urls.get(h);
        if (listed == null) {
            return null;
        }
        String full = path == null || path.isEmpty() ? "/" : pathOnly(path);
        int q = full.indexOf('?');
        String bare = q >= 0 ? full.substring(0, q) : full;
        for (String prefix : listed) {
            boolean hit = prefix.contains("?")
                    ? full.startsWith(prefix)
                    : bare.equals(prefix) || bare.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
            if (hit) {
                return h + prefix;
            }
        }
        return null;
    }

    public int size() {
        return ips.entries().size()
                + domains.size()
                + urls.values().stream().mapToInt(List::size).sum();
    }

    /** A path without its fragment; the query is kept only when the entry lists one. */
    private static String pathOnly(String pathQueryFragment) {
        int hash = pathQueryFragment.indexOf('#');
        String p = hash >= 0 ? pathQueryFragment.substring(0, hash) : pathQueryFragment;
        if (p.startsWith("?")) {
            p = "/" + p;
        }
        return p.isEmpty() ? "/" : p;
    }

    private static String canonicalIp(String ip) {
        String t = ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
        var a = IpSet.parseAddressOrNull(t);
        return a == null ? t : a.toCanonicalString();
    }

    /** Domain name checks and normal form (lower case, no trailing dot). */
    static final class Domains {
        private Domains() {}

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
                if (!((c >= 'a' && c <= 'z')
                        || (c >= '0' && c <= '9')
                        || c == '-'
                        || c == '.'
                        || c == '_'
                        || c > 127)) {
                    return null;
                }
            }
            return d;
        }
    }
}
