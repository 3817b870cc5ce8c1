package dev.mamori.sensor.http;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.mamori.protocols.http.HttpReply;
import dev.mamori.protocols.http.HttpRequestView;
import dev.mamori.protocols.http.HttpService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Who may read what on the HTTP endpoint, in the Prometheus exporters' convention: with users
 * configured, every path but the public ones needs HTTP basic authentication against bcrypt hashes
 * (401 otherwise); with none, a listener bound beyond loopback keeps {@code /api/*} and
 * {@code /reports/*} closed (403) unless the operator opened them on purpose.
 *
 * <p>bcrypt is slow by design (tens of milliseconds), so it never runs on an event loop: a first
 * sight of a credential is checked on {@code verifier}, and a verified one is remembered (as a
 * SHA-256 digest, never the password) so a Prometheus scraping every 15 s costs one check.
 */
public final class HttpAccess implements HttpService {

    /** Verified credentials remembered; past it the memory starts over. */
    private static final int MAX_REMEMBERED = 1024;

    private static final CompletableFuture<HttpReply> ALLOWED = CompletableFuture.completedFuture(null);

    private final HttpService next;
    private final Map<String, String> users;
    private final Set<String> publicPaths;
    private final boolean apiLocked;
    private final Executor verifier;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    /**
     * @param users user name to bcrypt hash; empty for no authentication
     * @param apiLocked without users: refuse /api/* and /reports/* (bound beyond loopback, not opened)
     */
    public HttpAccess(
            HttpService next,
            Map<String, String> users,
            Set<String> publicPaths,
            boolean apiLocked,
            Executor verifier) {
        this.next = next;
        this.users = Map.copyOf(users);
        this.publicPaths = Set.copyOf(publicPaths);
        this.apiLocked = apiLocked;
        this.verifier = verifier;
    }

    /** Answers {@code request} when it may be answered, else refuses it (401 or 403). */
    @Override
    public CompletableFuture<HttpReply> handle(HttpRequestView request) {
        CompletableFuture<HttpReply> refusal = check(request.path(), request.authorization());
        if (refusal.isDone() && refusal.join() == null) {
            return next.handle(request);
        }
        return refusal.thenCompose(
                denied -> denied != null ? CompletableFuture.completedFuture(denied) : next.handle(request));
    }

    /**
     * Decides one request.
     *
     * @param authorization the Authorization header, or null
     * @return completes with null when the request may go on, else with the refusal to send
     */
    public CompletableFuture<HttpReply> check(String path, String authorization) {
        if (users.isEmpty()) {
            if (apiLocked && (path.startsWith("/api/") || path.startsWith("/reports/"))) {
                return CompletableFuture.completedFuture(HttpReply.error(
                        403,
                        "this endpoint is bound beyond"
                                + " loopback without authentication: configure inputs.http.web_config_file, or set"
                                + " inputs.http.unauthenticated_api: true to serve " + path
                                + " to anyone who can connect"));
            }
            return ALLOWED;
        }
        if (publicPaths.contains(path)) {
            return ALLOWED;
        }
        String[] credentials = basic(authorization);
        if (credentials == null) {
            return CompletableFuture.completedFuture(unauthorized());
        }
        String hash = users.get(credentials[0]);
        if (hash == null) {
            return CompletableFuture.completedFuture(unauthorized());
        }
        String digest = digest(credentials[0], credentials[1]);
        if (verified.contains(digest)) {
            return ALLOWED;
        }
        try {
            return CompletableFuture.supplyAsync(
                    () -> {
                        boolean ok = BCrypt.verifyer()
                                .verify(
                                        credentials[1].getBytes(StandardCharsets.UTF_8),
                                        hash.getBytes(StandardCharsets.US_ASCII))
                                .verified;
                        if (!ok) {
                            return unauthorized();
                        }
                        if (verified.size() >= MAX_REMEMBERED) {
                            verified.clear();
                        }
                        verified.add(digest);
                        return null;
                    },
                    verifier);
        } catch (RejectedExecutionException busy) {
            return CompletableFuture.completedFuture(HttpReply.error(503, "too many logins being checked; retry"));
        }
    }

    private static HttpReply unauthorized() {
        return HttpReply.error(401, "authentication required")
                .withHeader("WWW-Authenticate", "Basic realm=\"mamori\", charset=\"UTF-8\"");
    }

    /** {@code [user, password]} from a Basic Authorization header, or null. */
    static String[] basic(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    private static String digest(String user, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest((user + "\u0000" + password).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
