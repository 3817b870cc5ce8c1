package dev.mamori.sensor.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.protocols.http.HttpReply;
import dev.mamori.protocols.http.HttpRequestView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {

    private final Router router = new Router()
            .route("GET", "/a", r -> HttpReply.text(200, "text/plain", "a" + r.param("x")))
            .route("POST", "/a", r -> HttpReply.text(201, "text/plain", "posted"))
            .route("GET", "/boom", r -> {
                throw new IllegalStateException("bad");
            });

    private HttpReply call(String method, String path) {
        return router.answer(new HttpRequestView(method, path, Map.of("x", List.of("1", "2")), null));
    }

    @Test
    void dispatchesByPathAndMethod() {
        assertThat(call("GET", "/a").bodyText()).isEqualTo("a2");
        assertThat(call("POST", "/a").status()).isEqualTo(201);
        assertThat(call("HEAD", "/a").status()).isEqualTo(200);
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405WithAllow() {
        HttpReply missing = call("GET", "/nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).isEqualTo("application/json");
        assertThat(missing.bodyText()).contains("\"error\":\"no such path: /nope\"");
        HttpReply wrong = call("DELETE", "/a");
        assertThat(wrong.status()).isEqualTo(405);
        assertThat(wrong.headers()).containsEntry("Allow", "GET, HEAD, POST");
    }

    @Test
    void aFailingRouteAnswers500() {
        HttpReply r = call("GET", "/boom");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.bodyText()).contains("IllegalStateException");
    }
}
