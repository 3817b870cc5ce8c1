package dev.mamori.sensor.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A complete HTTP response: status, content type, body and extra headers. */
public record HttpReply(int status, String contentType, byte[] body, Map<String, String> headers) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public HttpReply {
        headers = Map.copyOf(headers);
    }

    public static HttpReply text(int status, String contentType, String body) {
        return new HttpReply(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** A JSON body from a tree of maps, lists and scalars. */
    public static HttpReply json(int status, Object value) {
        try {
            return new HttpReply(status, "application/json", JSON.writeValueAsBytes(value), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON", e);
        }
    }

    /** The uniform error body: {@code {"error": "...", "status": 404}}. */
    public static HttpReply error(int status, String message) {
        return json(status, Map.of("status", status, "error", message));
    }

    public HttpReply withHeader(String name, String value) {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpReply(status, contentType, body, h);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
