package dev.mamori.sensor.alert;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.site.IpSet;
import dev.mamori.detectors.state.BurstAggregator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Alert hygiene before the outputs: suppression (per-rule lists of field values, e.g. a known
 * scanner's address, exact or CIDR) drops an alert; de-duplication folds identical alerts (same
 * rule, severity and key fields) within {@code window} into the first one plus, when the window
 * closes, one copy carrying {@code event.count} = the number folded. A window of zero turns
 * de-duplication off (detections already aggregate their own bursts).
 */
public final class AlertGate {

    /** Alerts of {@code rule} whose {@code field} is one of {@code values} are dropped. */
    public record Suppression(String rule, AlertField field, List<String> values) {
        public Suppression {
            values = List.copyOf(values);
        }
    }

    /** The fields that make two alerts "the same". */
    private static final List<AlertField> KEY = List.of(
            AlertField.SOURCE_IP,
            AlertField.DESTINATION_IP,
            AlertField.DESTINATION_PORT,
            AlertField.DESTINATION_DOMAIN,
            AlertField.URL_FULL,
            AlertField.USER_NAME,
            AlertField.HOST_NAME,
            AlertField.EMAIL_FROM_ADDRESS,
            AlertField.FILE_NAME,
            AlertField.WINLOG_EVENT_ID,
            AlertField.USER_AGENT_ORIGINAL);

    private record Matcher(String rule, AlertField field, Set<String> exact, IpSet blocks) {
        boolean matches(Alert a) {
            if (!rule.equals(a.ruleId())) {
                return false;
            }
            Object v = a.field(field);
            return v != null && (exact.contains(v.toString()) || blocks.contains(v.toString()));
        }
    }

    private final List<Matcher> suppressions = new ArrayList<>();
    private final BurstAggregator<String, Alert> dedupe;

    public AlertGate(List<Suppression> suppress, Duration window, int maxKeys) {
        for (Suppression s : suppress) {
            List<String> blocks = new ArrayList<>();
            for (String v : s.values()) {
                if (v.contains("/")) {
                    blocks.add(v);
                }
            }
            suppressions.add(new Matcher(s.rule(), s.field(), Set.copyOf(s.values()), IpSet.of(blocks)));
        }
        this.dedupe = window.isZero() ? null : new BurstAggregator<>(window, maxKeys);
    }

    /** Whether a suppression list drops the alert. */
    public boolean suppressed(Alert a) {
        for (Matcher m : suppressions) {
            if (m.matches(a)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Passes the alert on (to {@code out}) unless it repeats one seen within the window; any burst
     * this closes is passed on as its folded copy first.
     */
    public void admit(Alert a, Instant now, Consumer<Alert> out) {
        if (dedupe == null) {
            out.accept(a);
            return;
        }
        List<BurstAggregator.Burst<String, Alert>> closed = new ArrayList<>(0);
        boolean first = dedupe.record(key(a), now, a, closed);
        closed.forEach(b -> out.accept(folded(b)));
        if (first) {
            out.accept(a);
        }
    }

    public void tick(Instant now, Consumer<Alert> out) {
        if (dedupe != null) {
            dedupe.expire(now).forEach(b -> out.accept(folded(b)));
        }
    }

    public void drain(Consumer<Alert> out) {
        if (dedupe != null) {
            dedupe.drain().forEach(b -> out.accept(folded(b)));
        }
    }

    private static String key(Alert a) {
        StringBuilder b = new StringBuilder(a.ruleId()).append('|').append(a.severity());
        for (AlertField f : KEY) {
            b.append('|').append(a.field(f) == null ? "" : a.field(f));
        }
        return b.toString();
    }

    private static Alert folded(BurstAggregator.Burst<String, Alert> burst) {
        Alert last = burst.lastEvent();
        Map<AlertField, Object> fields = new EnumMap<>(AlertField.class);
        fields.putAll(last.fields());
        fields.put(AlertField.EVENT_COUNT, burst.repeats());
        fields.put(AlertField.EVENT_START, burst.first().toString());
        fields.put(AlertField.EVENT_END, burst.last().toString());
        return new Alert(
                last.timestamp(),
                last.ruleId(),
                last.ruleName(),
                last.severity(),
                last.message(),
                last.input(),
                last.recommendation(),
                fields);
    }
}
