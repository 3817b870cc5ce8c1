package dev.mamori.sensor.http;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.firewall.TrafficSummary;
import dev.mamori.protocols.http.HttpReply;
import dev.mamori.protocols.http.HttpRequestView;
import dev.mamori.protocols.transport.BoundListener;
import dev.mamori.sensor.alert.AlertJson;
import dev.mamori.sensor.alert.AlertRing;
import dev.mamori.sensor.health.SourceTracker;
import dev.mamori.sensor.incident.IncidentBook;
import dev.mamori.sensor.intel.IntelStore;
import dev.mamori.sensor.metrics.SensorMetrics;
import dev.mamori.sensor.review.ReviewReports;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The sensor's routes: {@code /metrics}, {@code /health}, {@code /api/alerts}, the firewall summary,
 * {@code /api/sources}, {@code /api/incidents}, the review reports and the reload.
 */
public final class SensorApi {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String NDJSON = "application/x-ndjson";
    static final String HTML = "text/html; charset=utf-8";

    /** The alert fields {@code GET /api/alerts} filters on, by their names. */
    private static final List<AlertField> FILTERS =
            List.of(AlertField.SOURCE_IP, AlertField.USER_NAME, AlertField.HOST_NAME, AlertField.INCIDENT_ID);

    private final SensorMetrics metrics;
    private final ListenerRegistry listeners;
    private final AlertRing alerts;
    private final TrafficSummary firewall;
    private final String version;
    private final Supplier<CompletableFuture<IntelStore.ReloadResult>> reload;
    private final SourceTracker sources;
    private final IncidentBook incidents;
    private final ReviewReports reports;
    private final Executor reportWork;
    private final Supplier<Map<String, Object>> kafka;

    /**
     * @param kafka what {@code /health} says of the Kafka input (group, partitions held); null
     *     when there is none
     */
    public SensorApi(
            SensorMetrics metrics,
            ListenerRegistry listeners,
            AlertRing alerts,
            TrafficSummary firewall,
            String version,
            Supplier<CompletableFuture<IntelStore.ReloadResult>> reload,
            SourceTracker sources,
            IncidentBook incidents,
            ReviewReports reports,
            Executor reportWork,
            Supplier<Map<String, Object>> kafka) {
        this.kafka = kafka;
        this.metrics = metrics;
        this.listeners = listeners;
        this.alerts = alerts;
        this.firewall = firewall;
        this.version = version;
        this.reload = reload;
        this.sources = sources;
        this.incidents = incidents;
        this.reports = reports;
        this.reportWork = reportWork;
    }

    public Router router() {
        return new Router()
                .route("GET", "/metrics", r -> HttpReply.text(200, PROMETHEUS_TEXT, metrics.scrape()))
                .route("GET", "/health", r -> health())
                .route("GET", "/api/alerts", this::alerts)
                .route("GET", "/api/firewall/summary", this::firewallSummary)
                .route("GET", "/api/sources", r -> sources())
                .route("GET", "/api/incidents", this::incidents)
                .routeAsync("GET", "/reports/daily", r -> report(r, reports::daily))
                .routeAsync("GET", "/reports/weekly", r -> report(r, reports::weekly))
                .routeAsync("POST", "/api/reload", r -> reload.get().thenApply(SensorApi::reloaded));
    }

    /** 200 with the new sizes, or 400 with every error while the old lists stay in force. */
    static HttpReply reloaded(IntelStore.ReloadResult r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", r.ok() ? "reloaded" : "refused");
        body.put("indicators", r.indicators());
        body.put("user_agents", r.userAgents());
        if (!r.ok()) {
            body.put("errors", r.errors().size() > 100 ? r.errors().subList(0, 100) : r.errors());
        }
        return JsonReply.of(r.ok() ? 200 : 400, body);
    }

    /**
     * The periodic review: per hour, newest first. {@code hours} (default 24, at most 48) and
     * {@code top} (rows per table, default 10, at most 100).
     */
    HttpReply firewallSummary(HttpRequestView r) {
        int hours;
        int top;
        try {
            hours = bounded("hours", r.param("hours"), 24, 1, 48);
            top = bounded("top", r.param("top"), 10, 1, 100);
        } catch (NumberFormatException e) {
            return HttpReply.error(400, e.getMessage());
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (TrafficSummary.Hour h : firewall.recent(hours, top)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("hour", h.start().toString());
            m.put("events", h.total());
            m.put("by_action_and_direction", h.byActionAndDirection());
            m.put("top_sources", rows(h.topSources()));
            m.put("top_destinations", rows(h.topDestinations()));
            m.put("top_destination_ports", rows(h.topDestinationPorts()));
            m.put("refused_outbound_by_port", rows(h.refusedOutboundByPort()));
            out.add(m);
        }
        return JsonReply.of(200, Map.of("hours", out));
    }

    private static List<Map<String, Object>> rows(List<TrafficSummary.Count> counts) {
        List<Map<String, Object>> out = new ArrayList<>(counts.size());
        for (TrafficSummary.Count c : counts) {
            out.add(Map.of("key", c.key(), "count", c.count()));
        }
        return out;
    }

    private static int bounded(String name, String text, int def, int min, int max) {
        if (text == null || text.isBlank()) {
            return def;
        }
        try {
            int v = Integer.parseInt(text.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new NumberFormatException(name + ": must be a whole number " + min + ".." + max + ", was '" + text + "'");
    }

    /** A review page for {@code ?date=YYYY-MM-DD} (default today), rendered off the event loop: it may read files. */
    private CompletableFuture<HttpReply> report(HttpRequestView r, Function<LocalDate, String> page) {
        String text = r.param("date");
        LocalDate date;
        try {
            date = text == null || text.isBlank() ? null : LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            return CompletableFuture.completedFuture(
                    HttpReply.error(400, "date: not a date as YYYY-MM-DD (e.g. 2026-12-01): " + text));
        }
        return CompletableFuture.supplyAsync(() -> HttpReply.text(200, HTML, page.apply(date)), reportWork);
    }

    /** Every source seen or expected: the contract fields, then the skew and the quiet event ids. */
    HttpReply sources() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SourceTracker.View v : sources.sources()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", v.name());
            if (v.address() != null) {
                m.put("address", v.address());
            }
            if (v.host() != null) {
                m.put("host", v.host());
            }
            m.put("kind", v.kind());
            m.put("expected", v.expected());
            m.put("last_seen", v.lastSeen() == null ? null : v.lastSeen().toString());
            m.put("events", v.events());
            m.put("formats", new TreeMap<>(v.formats()));
            m.put("silent", v.silent());
            m.put("silent_events", v.silentEvents());
            m.put("clock_skew_seconds", v.clockSkewSeconds());
            out.add(m);
        }
        return JsonReply.of(200, out);
    }

    /**
     * Incidents, the most recently updated first. Filters: {@code entity} (a host address or name, or
     * an account), {@code severity} (at least this), {@code limit} (default 100).
     */
    HttpReply incidents(HttpRequestView r) {
        Severity min = Severity.LOW;
        int limit;
        try {
            String sev = r.param("severity");
            if (sev != null && !sev.isBlank()) {
                min = Severity.fromLabel(sev.strip());
            }
            limit = bounded("limit", r.param("limit"), 100, 0, 100_000);
        } catch (NumberFormatException e) {
            return HttpReply.error(400, e.getMessage());
        } catch (IllegalArgumentException e) {
            return HttpReply.error(400, "severity: " + e.getMessage());
        }
        String entity = r.param("entity");
        List<Map<String, Object>> out = new ArrayList<>();
        for (IncidentBook.Entry e : incidents.incidents()) {
            if (out.size() >= limit) {
                break;
            }
            if (!e.severity().atLeast(min) || entity != null && !entity.strip().equalsIgnoreCase(e.entityValue())) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id());
            m.put("entity", Map.of("type", e.entityType(), "value", e.entityValue()));
            m.put("first_seen", Instant.ofEpochMilli(e.firstSeen()).toString());
            m.put("last_seen", Instant.ofEpochMilli(e.lastSeen()).toString());
            m.put("severity", e.severity().label());
            m.put("raised", e.raised());
            m.put("rules", e.rules());
            m.put("inputs", e.inputs());
            m.put("evidence", e.evidence());
            m.put("alerts", e.alerts());
            out.add(m);
        }
        return JsonReply.of(200, out);
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
        if (kafka != null) {
            body.put("kafka", kafka.get());
        }
        return JsonReply.of(ok ? 200 : 503, body);
    }

    /**
     * Recent alerts, oldest first, one JSON object per line (as in the alert file). Filters:
     * {@code rule}, {@code severity} (one or a comma list), {@code since} (ISO-8601 instant),
     * {@code limit} (the newest N, default 100), and {@code source.ip}, {@code user.name},
     * {@code host.name}, {@code incident.id} (equal, case-insensitive). With {@code Accept: application/json} the same
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
            return HttpReply.error(
                    400, "since: not an ISO-8601 instant (e.g. 2026-01-31T09:00:00Z): " + r.param("since"));
        } catch (NumberFormatException e) {
            return HttpReply.error(400, "limit: not a non-negative whole number: " + r.param("limit"));
        } catch (IllegalArgumentException e) {
            return HttpReply.error(400, "severity: " + e.getMessage());
        }
        Map<AlertField, String> fields = new EnumMap<>(AlertField.class);
        for (AlertField f : FILTERS) {
            String v = r.param(f.ecsName());
            if (v != null && !v.isBlank()) {
                fields.put(f, v.strip());
            }
        }
        List<Alert> found = alerts.query(r.param("rule"), severities, since, fields, limit);
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
