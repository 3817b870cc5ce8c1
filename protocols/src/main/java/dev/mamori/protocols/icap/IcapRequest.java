package dev.mamori.protocols.icap;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An ICAP request head with its encapsulated HTTP header section.
 *
 * @param service the path of the ICAP URI ({@code /reqmod})
 * @param encapsulated the {@code Encapsulated} header as sent (null for OPTIONS without one)
 * @param encapsulatedHeaders the raw bytes of every header section before the body (echoed as is)
 * @param http the encapsulated HTTP request head, when there is one
 * @param body whether a chunked body follows ({@code req-body}/{@code res-body})
 * @param preview the {@code Preview} size, or -1 when the client sends no preview
 */
public record IcapRequest(
        String method,
        String uri,
        String service,
        Map<String, List<String>> headers,
        String encapsulated,
        byte[] encapsulatedHeaders,
        HttpHead http,
        boolean body,
        int preview)
        implements IcapMessage {

    public IcapRequest {
        headers = Map.copyOf(headers);
    }

    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Whether the client accepts 204 No Content ({@code Allow: 204}). */
    public boolean allows204() {
        List<String> allow = headers.get("allow");
        if (allow == null) {
            return false;
        }
        for (String v : allow) {
            for (String token : v.split(",")) {
                if (token.strip().equals("204")) {
                    return true;
                }
            }
        }
        return false;
    }

    public boolean closeAfter() {
        String c = header("connection");
        return c != null && c.equalsIgnoreCase("close");
    }
}
