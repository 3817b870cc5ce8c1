package dev.mamori.sensor.http;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.protocols.transport.BoundListener;
import dev.mamori.sensor.ListenerRegistry;
import dev.mamori.sensor.alert.AlertJson;
import dev.mamori.sensor.alert.AlertRing;
import dev.mamori.sensor.metrics.SensorMetrics;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The sensor's routes: {@code /metrics}, {@code /health} and {@code /api/alerts}. */
public final class SensorApi {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String NDJSON = "application/x-ndjson";

    private final SensorMetrics metrics;
    private final ListenerRegistry listeners;
    private final AlertRing alerts;
    private final String version;

    public SensorApi(SensorMetrics metrics, ListenerRegistry listeners, AlertRing alerts, String version) {
        this.metrics = metrics;
        this.listeners = listeners;
        this.alerts = alerts;
        this.version = version;
    }

    public Router router() {
        return new Router()
                .route("GET", "/metrics", r -> HttpReply.text(200, PROMETHEUS_TEXT, metrics.scrape()))
                .route("GET", "/health", r -> health())
                .route("GET", "/api/alerts", this::alerts);
    }

    HttpReply health() {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean ok = listeners.healthy();
        body.put("status", ok ? "up" : listeners.state().name().toLowerCase(Locale.ROOT));
        body.put("version", version);
        List<Map<String, Object>> ls = new ArrayList<>();
        for (BoundListener b : listeners.listeners()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("name", b.name());
            l.put("transport", b.transport());
            l.put("address", b.host());
            l.put("port", b.port());
            ls.add(l);
        }
        body.put("listeners", ls);
        return HttpReply.json(ok ? 200 : 503, body);
    }

    /**
     * Recent alerts, oldest first, one JSON object per line (as in the alert file). Filters:
     * {@code rule}, {@code severity} (one or a comma list), {@code since} (ISO-8601 instant),
     * {@code limit} (the newest N, default 100). With {@code Accept: application/json} the same
     * alerts come as one JSON array.
     */
    HttpReply alerts(HttpRequestView r) {
        Set<Severity> severities = null;
        Instant since = null;
        int limit = 100;
        try {
            String sev = r.param("severity");
            if (sev != null && !sev.isBlank()) {
                severities = EnumSet.noneOf(Severity.class);
                for (String s : sev.split(",")) {
                    severities.add(Severity.fromLabel(s.strip()));
                }
            }
            String s = r.param("since");
            if (s != null && !s.isBlank()) {
                since = Instant.parse(s.strip());
            }
            String l = r.param("limit");
            if (l != null && !l.isBlank()) {
                limit = Integer.parseInt(l.strip());
                if (limit < 0) {
                    throw new NumberFormatException();
                }
            }
        } catch (DateTimeParseException e) {
            return HttpReply.error(400, "since: not an ISO-8601 instant (e.g. 2026-01-31T09:00:00Z): " + r.param("since"));
        } catch (NumberFormatException e) {
            return HttpReply.error(400, "limit: not a non-negative whole number: " + r.param("limit"));
        } catch (IllegalArgumentException e) {
            return HttpReply.error(400, "severity: " + e.getMessage());
        }
        List<Alert> found = alerts.query(r.param("rule"), severities, since, limit);
        StringBuilder b = new StringBuilder(found.size() * 512 + 2);
        boolean array = r.accept().contains("application/json");
        if (array) {
            b.append('[');
        }
        for (int i = 0; i < found.size(); i++) {
            if (array && i > 0) {
                b.append(',');
            }
            b.append(AlertJson.toJson(found.get(i)));
            if (!array) {
                b.append('\n');
            }
        }
        if (array) {
            b.append(']');
        }
        return HttpReply.text(200, array ? "application/json" : NDJSON, b.toString());
    }
}
