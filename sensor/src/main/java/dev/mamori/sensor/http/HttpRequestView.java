package dev.mamori.sensor.http;

import java.util.List;
import java.util.Map;

/** What a route sees of a request: method, decoded path, query parameters and the Accept header. */
public record HttpRequestView(String method, String path, Map<String, List<String>> query, String accept) {

    public HttpRequestView {
        query = Map.copyOf(query);
        accept = accept == null ? "" : accept;
    }

    /** The last value of a query parameter, or null. */
    public String param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
    }
}
