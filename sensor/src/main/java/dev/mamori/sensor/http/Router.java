package dev.mamori.sensor.http;

import dev.mamori.protocols.http.HttpReply;
import dev.mamori.protocols.http.HttpRequestView;
import dev.mamori.protocols.http.HttpService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exact-path routing: an unknown path answers 404, a known path with another method 405 with an
 * {@code Allow} header, and a route that throws answers 500 (logged) instead of closing the
 * connection. HEAD is answered wherever GET is.
 */
public final class Router implements HttpService {

    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final Map<String, Map<String, Function<HttpRequestView, CompletableFuture<HttpReply>>>> routes =
            new LinkedHashMap<>();

    /** A route answered on the event loop: it must be quick and must not block. */
    public Router route(String method, String path, Function<HttpRequestView, HttpReply> handler) {
        return routeAsync(method, path, r -> CompletableFuture.completedFuture(handler.apply(r)));
    }

    /** A route whose work runs elsewhere (disk reads): the reply is written when it completes. */
    public Router routeAsync(
            String method, String path, Function<HttpRequestView, CompletableFuture<HttpReply>> handler) {
        routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, handler);
        return this;
    }

    /** The answer, waited for (tests and other callers off the event loop). */
    public HttpReply answer(HttpRequestView request) {
        return handleAsync(request).join();
    }

    @Override
    public CompletableFuture<HttpReply> handle(HttpRequestView request) {
        return handleAsync(request);
    }

    public CompletableFuture<HttpReply> handleAsync(HttpRequestView request) {
        Map<String, Function<HttpRequestView, CompletableFuture<HttpReply>>> byMethod = routes.get(request.path());
        if (byMethod == null) {
            return CompletableFuture.completedFuture(HttpReply.error(404, "no such path: " + request.path()));
        }
        String method = request.method().equals("HEAD") && !byMethod.containsKey("HEAD") ? "GET" : request.method();
        Function<HttpRequestView, CompletableFuture<HttpReply>> handler = byMethod.get(method);
        if (handler == null) {
            TreeSet<String> allowed = new TreeSet<>(byMethod.keySet());
            if (allowed.contains("GET")) {
                allowed.add("HEAD");
            }
            return CompletableFuture.completedFuture(
                    HttpReply.error(405, request.method() + " is not allowed on " + request.path())
                            .withHeader("Allow", String.join(", ", allowed)));
        }
        try {
            return handler.apply(request).exceptionally(e -> failed(request, e));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failed(request, e));
        }
    }

    private static HttpReply failed(HttpRequestView request, Throwable e) {
        log.error("http: {} {} failed", request.method(), request.path(), e);
        return HttpReply.error(500, "internal error: " + e.getClass().getSimpleName());
    }
}
