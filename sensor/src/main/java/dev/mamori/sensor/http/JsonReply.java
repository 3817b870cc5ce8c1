package dev.mamori.sensor.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mamori.protocols.http.HttpReply;
import java.util.Map;

/** JSON bodies for the API's answers. */
final class JsonReply {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonReply() {}

    /** A JSON body from a tree of maps, lists and scalars. */
    static HttpReply of(int status, Object value) {
        try {
            return new HttpReply(status, "application/json", JSON.writeValueAsBytes(value), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON", e);
        }
    }
}
