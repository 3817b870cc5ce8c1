package dev.mamori.sensor.alert;

import dev.mamori.detectors.alert.Alert;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * POSTs each alert as a JSON object to a URL (a chat, ticketing or SOAR hook). A failed POST
 * (connection error, timeout, 5xx or 429) is retried with exponential backoff; a 4xx other than 429
 * is not retried. Runs on its output's writer thread, so waiting here never blocks detection; while
 * it waits, the output's bounded queue absorbs new alerts (and counts what it cannot).
 */
public final class WebhookOutput implements AlertOutput {

    /** Where and how hard to try. */
    public record Settings(URI url, Duration timeout, int retries, Duration backoff) {}

    private final Settings s;
    private final HttpClient client;

    public WebhookOutput(Settings settings) {
        this.s = settings;
        this.client = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public void write(Alert alert) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(s.url())
                .timeout(s.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Mamori")
                .POST(HttpRequest.BodyPublishers.ofString(AlertJson.toJson(alert)))
                .build();
        IOException last = null;
        for (int attempt = 0; attempt <= s.retries(); attempt++) {
            if (attempt > 0) {
                sleep(s.backoff().multipliedBy(1L << Math.min(attempt - 1, 10)));
            }
            try {
                HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
                int code = r.statusCode();
                if (code >= 200 && code < 300) {
                    return;
                }
                last = new IOException("webhook answered " + code);
                if (code < 500 && code != 429) {
                    break;
                }
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while posting", e);
            }
        }
        throw last;
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while backing off", e);
        }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
}
