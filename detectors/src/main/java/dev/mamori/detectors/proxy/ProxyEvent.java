package dev.mamori.detectors.proxy;

import java.time.Instant;
import java.util.Locale;

/**
 * One proxied request.
 *
 * @param url the request URL, or {@code host:port} for CONNECT
 * @param userAgent the User-Agent; empty when the request had none; null when the source cannot
 *     tell (Squid's native log format carries no User-Agent)
 * @param requestBytes bytes the client sent (request size; for CONNECT the bytes sent through the
 *     tunnel), or -1 when the source does not say
 * @param source {@code icap}, {@code squid}, {@code mamori} or {@code combined}
 */
public record ProxyEvent(
        Instant time,
        String client,
        String method,
        String url,
        String host,
        int port,
        String userAgent,
        long requestBytes,
        int status,
        String source,
        String original) {

    /** The URL's path and query ({@code /a/b?x=1}); {@code /} when it has none; null for CONNECT. */
    public String path() {
        if (isConnect() || url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        int start = scheme >= 0 ? url.indexOf('/', scheme + 3) : url.indexOf('/');
        int query = url.indexOf('?', scheme >= 0 ? scheme + 3 : 0);
        if (start < 0 || (query >= 0 && query < start)) {
            return query >= 0 ? "/" + url.substring(query) : "/";
        }
        return url.substring(start);
    }

    public boolean isConnect() {
        return "CONNECT".equalsIgnoreCase(method);
    }

    public boolean isPost() {
        return "POST".equalsIgnoreCase(method);
    }

    /** Splits a URL or CONNECT authority into lower-case host and port; null when it has no host. */
    public static String[] hostPort(String method, String url) {
        String rest = url;
        int defaultPort = 80;
        int scheme = url.indexOf("://");
        if (scheme > 0) {
            String s = url.substring(0, scheme).toLowerCase(Locale.ROOT);
            defaultPort = s.equals("https") ? 443 : s.equals("ftp") ? 21 : 80;
            rest = url.substring(scheme + 3);
            int end = firstOf(rest, "/?#");
            rest = end >= 0 ? rest.substring(0, end) : rest;
            int at = rest.lastIndexOf('@');
            rest = at >= 0 ? rest.substring(at + 1) : rest;
        } else if ("CONNECT".equalsIgnoreCase(method)) {
            defaultPort = 443;
        } else {
            return null;
        }
        String host = rest;
        int port = defaultPort;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = rest.substring(1, close);
            if (rest.length() > close + 2 && rest.charAt(close + 1) == ':') {
                port = parsePort(rest.substring(close + 2), defaultPort);
            }
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon > 0 && rest.indexOf(':') == colon) {
                host = rest.substring(0, colon);
                port = parsePort(rest.substring(colon + 1), defaultPort);
            }
        }
        if (host.isEmpty() || port < 0) {
            return null;
        }
        return new String[] {host.toLowerCase(Locale.ROOT), Integer.toString(port)};
    }

    private static int parsePort(String s, int def) {
        try {
            int p = Integer.parseInt(s);
            return p >= 0 && p <= 65535 ? p : -1;
        } catch (NumberFormatException e) {
            return s.isEmpty() ? def : -1;
        }
    }

    private static int firstOf(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
