package dev.mamori.protocols.http;

import java.util.List;
import java.util.Map;

/**
 * What a service sees of a request: method, decoded path, query parameters, the Accept header and
 * the Authorization header (null when absent).
 */
public record HttpRequestView(
        String method, String path, Map<String, List<String>> query, String accept, String authorization) {

    public HttpRequestView {
        query = Map.copyOf(query);
        accept = accept == null ? "" : accept;
    }

    /** A request without credentials. */
    public HttpRequestView(String method, String path, Map<String, List<String>> query, String accept) {
        this(method, path, query, accept, null);
    }

    /** The last value of a query parameter, or null. */
    public String param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
    }
}
