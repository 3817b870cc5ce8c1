package dev.mamori.sensor.incident;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.rule.Persistent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Groups alerts into incidents: alerts about one host ({@code source.ip}, else {@code host.name})
 * or one account ({@code user.name}) within {@code alerts.incident_window} of each other. An alert
 * naming both a host and an account links them, so a later alert about either joins the same
 * incident (an AD anomaly for the account that logged on at a host already in trouble). When two
 * or more kinds of evidence agree (firewall, proxy, Windows, mail: the rule's area), the incident
 * is raised one severity step, and so is each alert from then on, its message naming the incident.
 * The {@code sensor.*} rules are about the collection, not about a host, and stay out.
 *
 * <p>Every alert passes here once, from any thread: one lock, held for map updates only. Bounded:
 * past {@code maxIncidents} the incident quiet the longest is forgotten.
 */
public final class IncidentBook implements Persistent<IncidentBook.Entry> {

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    /**
     * One incident, as {@code GET /api/incidents} and {@code <state_dir>/incidents.json} show it;
     * times in epoch milliseconds.
     */
    public record Entry(
            String id,
            String entityType,
            String entityValue,
            long firstSeen,
            long lastSeen,
            Severity severity,
            boolean raised,
            List<String> rules,
            List<String> inputs,
            List<String> evidence,
            List<String> keys,
            long alerts) {}

    private final Duration window;
    private final int maxIncidents;
    private final MessageCatalog catalog;
    /** By id, least recently updated first. */
    private final LinkedHashMap<String, Incident> incidents = new LinkedHashMap<>(16, 0.75f, true);

    private final Map<String, Incident> byKey = new HashMap<>();

    public IncidentBook(Duration window, int maxIncidents, MessageCatalog catalog) {
        this.window = window;
        this.maxIncidents = maxIncidents;
        this.catalog = catalog;
    }

    /** The alert with its {@code incident.id}, raised when its incident has more than one kind of evidence. */
    public synchronized Alert assign(Alert alert) {
        String kind = evidence(alert.ruleId());
        if (kind == null) {
            return alert;
        }
        String host = key(alert, AlertField.SOURCE_IP, "host");
        String user = key(alert, AlertField.USER_NAME, "user");
        if (host == null && user == null) {
            host = key(alert, AlertField.HOST_NAME, "host");
        }
        if (host == null && user == null) {
            return alert;
        }
        Instant at = alert.timestamp();
        Incident inc = open(host, at);
        if (inc == null) {
            inc = open(user, at);
        }
        if (inc == null) {
            String first = host != null ? host : user;
            inc = new Incident(newId(first, at), first, at);
            incidents.put(inc.id, inc);
            evict();
        } else {
            incidents.get(inc.id); // touch: most recently updated
        }
        link(host, inc);
        link(user, inc);
        boolean wasAgreed = inc.evidence.size() >= 2;
        inc.add(alert, kind);
        Alert out = alert.with(AlertField.INCIDENT_ID, inc.id);
        if (inc.evidence.size() >= 2) {
            if (!wasAgreed) {
                inc.raised = true;
            }
            out = out.escalated(
                    alert.severity().raised(),
                    " "
                            + catalog.text(
                                    "incident_note",
                                    inc.id,
                                    String.join(", ", inc.evidence),
                                    inc.entityValue(),
                                    inc.severity().label()));
        }
        return out;
    }

    /** The rule's area (fw, proxy, ad, mail, sigma), or null for rules that are not evidence about a host. */
    static String evidence(String ruleId) {
        if (ruleId.startsWith("sensor.")) {
            return null;
        }
        if (ruleId.startsWith("sigma:")) {
            return "sigma";
        }
        int dot = ruleId.indexOf('.');
        String area = dot < 0 ? ruleId : ruleId.substring(0, dot);
        return switch (area) {
            case "fw" -> "firewall";
            case "ad" -> "windows";
            default -> area;
        };
    }

    private static String key(Alert alert, AlertField field, String type) {
        Object v = alert.field(field);
        return v instanceof String s && !s.isBlank() ? type + ":" + s.strip().toLowerCase(Locale.ROOT) : null;
    }

    private Incident open(String key, Instant at) {
        if (key == null) {
            return null;
        }
        Incident inc = byKey.get(key);
        if (inc == null || !incidents.containsKey(inc.id)) {
            return null;
        }
        return within(inc.lastSeen, at) ? inc : null;
    }

    /**
     * Whether {@code at} is no more than the window after {@code last} (or before it): in seconds
     * and nanoseconds, as {@code Duration.between(last, at).compareTo(window) <= 0} would say
     * without the Duration, on the way of every alert.
     */
    boolean within(Instant last, Instant at) {
        long seconds = at.getEpochSecond() - last.getEpochSecond();
        int nanos = at.getNano() - last.getNano();
        if (nanos < 0) {
            seconds--;
            nanos += 1_000_000_000;
        }
        return seconds < window.getSeconds() || seconds == window.getSeconds() && nanos <= window.getNano();
    }

    private void link(String key, Incident inc) {
        if (key == null) {
            return;
        }
        Incident held = byKey.get(key);
        if (held == inc) {
            return;
        }
        if (held != null && held.keys.contains(key) && incidents.containsKey(held.id)) {
            held.keys.remove(key);
        }
        byKey.put(key, inc);
        inc.keys.add(key);
    }

    private void evict() {
        Iterator<Incident> it = incidents.values().iterator();
        while (incidents.size() > maxIncidents && it.hasNext()) {
            Incident gone = it.next();
            it.remove();
            gone.keys.forEach(k -> byKey.remove(k, gone));
        }
    }

    private static String newId(String key, Instant at) {
        int h = (key + "@" + at.toEpochMilli()).hashCode();
        return "INC-" + DAY.format(at) + "-" + String.format(Locale.ROOT, "%08x", h);
    }

    /** Every incident, the most recently updated first. */
    public synchronized List<Entry> incidents() {
        List<Entry> out = new ArrayList<>(incidents.size());
        for (Incident i : incidents.values()) {
            out.add(i.entry());
        }
        out.sort(Comparator.comparingLong(Entry::lastSeen).reversed());
        return out;
    }

    @Override
    public Class<Entry> entryType() {
        return Entry.class;
    }

    @Override
    public synchronized List<Entry> snapshot(Predicate<String> partitions) {
        List<Entry> out = new ArrayList<>();
        for (Incident i : incidents.values()) {
            if (partitions.test(i.entityValue())) {
                out.add(i.entry());
            }
        }
        return out;
    }

    @Override
    public synchronized void restore(List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::lastSeen));
        for (Entry e : sorted) {
            Incident i =
                    new Incident(e.id(), e.entityType() + ":" + e.entityValue(), Instant.ofEpochMilli(e.firstSeen()));
            i.lastSeen = Instant.ofEpochMilli(e.lastSeen());
            i.maxSeverity = e.raised() && e.severity() != Severity.LOW ? lower(e.severity()) : e.severity();
            i.raised = e.raised();
            i.rules.addAll(e.rules());
            i.inputs.addAll(e.inputs());
            i.evidence.addAll(e.evidence());
            i.alerts = e.alerts();
            incidents.put(i.id, i);
            for (String k : e.keys()) {
                byKey.put(k, i);
                i.keys.add(k);
            }
        }
        evict();
    }

    private static Severity lower(Severity s) {
        return Severity.values()[Math.max(0, s.ordinal() - 1)];
    }

    /** One incident; guarded by the book's lock. */
    private static final class Incident {
        final String id;
        final String entity;
        final Instant firstSeen;
        Instant lastSeen;
        Severity maxSeverity = Severity.LOW;
        boolean raised;
        final Set<String> rules = new LinkedHashSet<>();
        final Set<String> inputs = new LinkedHashSet<>();
        final Set<String> evidence = new LinkedHashSet<>();
        final Set<String> keys = new LinkedHashSet<>();
        long alerts;

        Incident(String id, String entity, Instant firstSeen) {
            this.id = id;
            this.entity = entity;
            this.firstSeen = firstSeen;
            this.lastSeen = firstSeen;
        }

        void add(Alert a, String kind) {
            if (a.timestamp().isAfter(lastSeen)) {
                lastSeen = a.timestamp();
            }
            if (a.severity().compareTo(maxSeverity) > 0) {
                maxSeverity = a.severity();
            }
            rules.add(a.ruleId());
            inputs.add(a.input().label());
            evidence.add(kind);
            alerts++;
        }

        Severity severity() {
            return raised ? maxSeverity.raised() : maxSeverity;
        }

        String entityType() {
            return entity.substring(0, entity.indexOf(':'));
        }

        String entityValue() {
            return entity.substring(entity.indexOf(':') + 1);
        }

        Entry entry() {
            return new Entry(
                    id,
                    entityType(),
                    entityValue(),
                    firstSeen.toEpochMilli(),
                    lastSeen.toEpochMilli(),
                    severity(),
                    raised,
                    List.copyOf(rules),
                    List.copyOf(inputs),
                    List.copyOf(evidence),
                    List.copyOf(keys),
                    alerts);
        }
    }
}
