package dev.mamori.protocols.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A complete HTTP response: status, content type, body and extra headers. */
public record HttpReply(int status, String contentType, byte[] body, Map<String, String> headers) {

    public HttpReply {
        headers = Map.copyOf(headers);
    }

    public static HttpReply text(int status, String contentType, String body) {
        return new HttpReply(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** The uniform error body: {@code {"status": 404, "error": "..."}}. */
    public static HttpReply error(int status, String message) {
        return text(status, "application/json", "{\"status\":" + status + ",\"error\":" + quote(message) + "}");
    }

    public HttpReply withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpReply(status, contentType, body, h);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** A JSON string literal (RFC 8259 escapes). */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
