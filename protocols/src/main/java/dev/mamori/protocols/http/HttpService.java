package dev.mamori.protocols.http;

import java.util.concurrent.CompletableFuture;

/**
 * What the HTTP server asks the application, as {@code IcapService} and {@code SmtpService} do for
 * theirs. Called on an event loop: answer at once, or return a future completed elsewhere; answers
 * are written in request order.
 */
@FunctionalInterface
public interface HttpService {
    CompletableFuture<HttpReply> handle(HttpRequestView request);
}
