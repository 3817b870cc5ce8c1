package dev.mamori.protocols.icap;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The head of an encapsulated HTTP message: start line and headers (names lower-cased, repeats
 * kept in order; Squid and c-icap-client send duplicate User-Agent headers).
 */
public record HttpHead(String method, String target, String version, Map<String, List<String>> headers) {

    public HttpHead {
        headers = Map.copyOf(headers);
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /**
     * Parses an HTTP request head ({@code METHOD TARGET HTTP/x.y} then headers).
     *
     * @return null when the bytes are not a request head
     */
    static HttpHead parseRequest(byte[] bytes, int from, int to) {
        String text = new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
        HeadLines lines = new HeadLines(text, true);
        lines.next();
        String[] start = lines.line().split(" ");
        if (start.length != 3 || !start[2].startsWith("HTTP/") || start[0].isEmpty() || start[1].isEmpty()) {
            return null;
        }
        Map<String, List<String>> headers = new HashMap<>();
        while (lines.next() && !lines.empty()) {
            if (!lines.addHeaderTo(headers)) {
                return null;
            }
        }
        return new HttpHead(start[0], start[1], start[2], headers);
    }
}
