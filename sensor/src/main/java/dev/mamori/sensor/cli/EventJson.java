package dev.mamori.sensor.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mamori.detectors.firewall.FirewallEvent;
import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.detectors.windows.WindowsEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * {@code analyze --events}: a parsed event as one JSON object with the ECS names the alerts use,
 * Windows events as DESIGN.md's "events as data" says ({@code winlog.event_data} an object of the
 * event's fields, values as the event holds them). Null for event types it does not write.
 */
final class EventJson {

    private static final JsonFactory JSON = new JsonFactory();

    private EventJson() {}

    static String toJson(Object event) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            if (event instanceof WindowsEvent w) {
                windows(w, g);
            } else if (event instanceof FirewallEvent f) {
                firewall(f, g);
            } else if (event instanceof ProxyEvent p) {
                proxy(p, g);
            } else {
                return null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void windows(WindowsEvent e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        time(g, e.time());
        g.writeNumberField("winlog.event_id", e.eventId());
        if (e.recordId() >= 0) {
            g.writeNumberField("winlog.record_id", e.recordId());
        }
        string(g, "winlog.channel", e.channel());
        string(g, "winlog.provider_name", e.provider());
        string(g, "host.name", e.computer());
        g.writeObjectFieldStart("winlog.event_data");
        for (Map.Entry<String, String> d : e.data().entrySet()) {
            g.writeStringField(d.getKey(), d.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void firewall(FirewallEvent e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        time(g, e.time());
        string(g, "event.dataset", "firewall");
        string(g, "observer.name", e.device());
        string(g, "event.action", e.action().label());
        string(g, "network.transport", e.protocol());
        string(g, "source.ip", e.sourceIp());
        if (e.sourcePort() >= 0) {
            g.writeNumberField("source.port", e.sourcePort());
        }
        string(g, "destination.ip", e.destinationIp());
        if (e.destinationPort() >= 0) {
            g.writeNumberField("destination.port", e.destinationPort());
        }
        string(g, "observer.ingress.zone", e.sourceZone());
        string(g, "observer.egress.zone", e.destinationZone());
        g.writeEndObject();
    }

    private static void proxy(ProxyEvent e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        time(g, e.time());
        string(g, "event.dataset", "proxy");
        string(g, "source.ip", e.client());
        string(g, "http.request.method", e.method());
        string(g, "url.full", e.url());
        string(g, "destination.domain", e.host());
        if (e.port() > 0) {
            g.writeNumberField("destination.port", e.port());
        }
        string(g, "user_agent.original", e.userAgent());
        if (e.requestBytes() >= 0) {
            g.writeNumberField("http.request.bytes", e.requestBytes());
        }
        if (e.status() > 0) {
            g.writeNumberField("http.response.status_code", e.status());
        }
        g.writeEndObject();
    }

    private static void time(JsonGenerator g, Instant t) throws IOException {
        if (t != null) {
            g.writeStringField("@timestamp", t.toString());
        }
    }

    private static void string(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }
}
