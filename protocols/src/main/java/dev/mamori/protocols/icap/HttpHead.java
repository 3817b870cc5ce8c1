package dev.mamori.protocols.icap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        List<String> lines = HeadLines.split(text, true);
        String[] start = lines.get(0).split(" ");
        if (start.length != 3 || !start[2].startsWith("HTTP/") || start[0].isEmpty() || start[1].isEmpty()) {
            return null;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            headers.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).strip());
        }
        return new HttpHead(start[0], start[1], start[2], headers);
    }
}
