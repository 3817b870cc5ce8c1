package dev.mamori.sensor.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exact-path routing: an unknown path answers 404, a known path with another method 405 with an
 * {@code Allow} header, and a route that throws answers 500 (logged) instead of closing the
 * connection. HEAD is answered wherever GET is.
 */
public final class Router {

    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final Map<String, Map<String, Function<HttpRequestView, HttpReply>>> routes = new LinkedHashMap<>();

    public Router route(String method, String path, Function<HttpRequestView, HttpReply> handler) {
        routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, handler);
        return this;
    }

    public HttpReply handle(HttpRequestView request) {
        Map<String, Function<HttpRequestView, HttpReply>> byMethod = routes.get(request.path());
        if (byMethod == null) {
            return HttpReply.error(404, "no such path: " + request.path());
        }
        String method = request.method().equals("HEAD") && !byMethod.containsKey("HEAD") ? "GET" : request.method();
        Function<HttpRequestView, HttpReply> handler = byMethod.get(method);
        if (handler == null) {
            TreeSet<String> allowed = new TreeSet<>(byMethod.keySet());
            if (allowed.contains("GET")) {
                allowed.add("HEAD");
            }
            return HttpReply.error(405, request.method() + " is not allowed on " + request.path())
                    .withHeader("Allow", String.join(", ", allowed));
        }
        try {
            return handler.apply(request);
        } catch (RuntimeException e) {
            log.error("http: {} {} failed", request.method(), request.path(), e);
            return HttpReply.error(500, "internal error: " + e.getClass().getSimpleName());
        }
    }
}
