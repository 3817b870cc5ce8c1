package dev.mamori.sensor.alert;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The most recent alerts, in arrival order, for {@code GET /api/alerts}. Fixed capacity: the oldest
 * alert is overwritten. Writers are detection threads, readers HTTP event loops; the lock is held
 * for a copy of references only.
 */
public final class AlertRing {

    private final Alert[] slots;
    private long written;

    public AlertRing(int capacity) {
        this.slots = new Alert[Math.max(capacity, 0)];
    }

    public void add(Alert alert) {
        if (slots.length == 0) {
            return;
        }
        synchronized (this) {
            slots[(int) (written % slots.length)] = alert;
            written++;
        }
    }

    /**
     * Alerts matching every given filter (null means no filter), oldest first; with a limit, the
     * newest {@code limit} of them.
     */
    public List<Alert> query(String rule, Set<Severity> severities, Instant since, int limit) {
        return query(rule, severities, since, Map.of(), limit);
    }

    /**
     * As {@link #query(String, Set, Instant, int)}, and with each of {@code fields} equal to the
     * given value (case-insensitive: addresses, account and host names).
     */
    public List<Alert> query(
            String rule, Set<Severity> severities, Instant since, Map<AlertField, String> fields, int limit) {
        List<Alert> all = snapshot();
        List<Alert> out = new ArrayList<>();
        for (Alert a : all) {
            if ((rule == null || rule.equals(a.ruleId()))
                    && (severities == null || severities.contains(a.severity()))
                    && (since == null || !a.timestamp().isBefore(since))
                    && matches(a, fields)) {
                out.add(a);
            }
        }
        return limit >= 0 && out.size() > limit ? List.copyOf(out.subList(out.size() - limit, out.size())) : out;
    }

    private static boolean matches(Alert a, Map<AlertField, String> fields) {
        for (Map.Entry<AlertField, String> f : fields.entrySet()) {
            Object v = a.field(f.getKey());
            if (v == null || !String.valueOf(v).equalsIgnoreCase(f.getValue())) {
                return false;
            }
        }
        return true;
    }

    private synchronized List<Alert> snapshot() {
        int n = (int) Math.min(written, slots.length);
        List<Alert> out = new ArrayList<>(n);
        long start = written - n;
        for (long i = start; i < written; i++) {
            out.add(slots[(int) (i % slots.length)]);
        }
        return out;
    }
}
