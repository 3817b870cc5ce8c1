package dev.mamori.detectors.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mamori.detectors.alert.Severity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Sigma correlation rule (specification 2.1): over the matches of the rules it names, per value of
 * its {@code group-by} fields within {@code timespan}, it counts events ({@code event_count}),
 * distinct values ({@code value_count}), sums or averages a number ({@code value_sum},
 * {@code value_avg}), or looks for all the rules matching ({@code temporal}; in the order given,
 * {@code temporal_ordered}). {@code value_percentile} is refused: no streaming meaning is agreed.
 *
 * @param rules the ids or names of the rules it correlates, as written
 * @param aliases per alias of {@code group-by}, the field it stands for in each rule's events (by the
 *     rule's name or id)
 * @param generate whether the rules it names also raise their own alerts
 */
public record SigmaCorrelation(
        String id,
        String name,
        String title,
        String description,
        String status,
        String levelName,
        Severity level,
        List<String> techniques,
        Path file,
        Type type,
        List<String> rules,
        List<String> groupBy,
        Map<String, Map<String, String>> aliases,
        Duration timespan,
        Condition condition,
        boolean generate)
        implements SigmaItem {

    /** Past this many events (or values) per group a count condition is not kept exactly, so it is refused. */
    static final int MAX_COUNT = 10_000;

    public enum Type {
        EVENT_COUNT,
        VALUE_COUNT,
        VALUE_SUM,
        VALUE_AVG,
        TEMPORAL,
        TEMPORAL_ORDERED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The condition on what is counted: every bound given must hold (a range is two bounds).
     *
     * @param field the field counted, summed or averaged (value_* types)
     */
    public record Condition(String field, Double gt, Double gte, Double lt, Double lte, Double eq, Double neq) {

        boolean test(double v) {
            return (gt == null || v > gt)
                    && (gte == null || v >= gte)
                    && (lt == null || v < lt)
                    && (lte == null || v <= lte)
                    && (eq == null || v == eq)
                    && (neq == null || v != neq);
        }

        /**
         * Whether the condition can only become true as more events arrive (a lower bound only), so
         * it is judged on each event; otherwise it is judged when a group's window closes.
         */
        boolean rising() {
            return lt == null && lte == null && eq == null && neq == null && (gt != null || gte != null);
        }

        /** The largest count that still tells the condition apart (what a group must keep). */
        double horizon() {
            double h = 0;
            for (Double d : new Double[] {gt, gte, lt, lte, eq, neq}) {
                if (d != null) {
                    h = Math.max(h, d);
                }
            }
            return h + 1;
        }

        String describe() {
            StringBuilder b = new StringBuilder();
            append(b, ">", gt);
            append(b, ">=", gte);
            append(b, "<", lt);
            append(b, "<=", lte);
            append(b, "=", eq);
            append(b, "!=", neq);
            return b.toString();
        }

        private static void append(StringBuilder b, String op, Double d) {
            if (d != null) {
                b.append(b.length() > 0 ? " and " : "").append(op).append(' ').append(format(d));
            }
        }
    }

    static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** Compiles a correlation document; a reason starting "correlation" names what could not be. */
    static SigmaCorrelation compile(JsonNode doc, Path file) throws SigmaException {
        JsonNode c = doc.get("correlation");
        if (c == null || !c.isObject()) {
            throw new SigmaException("correlation: not a mapping");
        }
        String title = SigmaRule.text(doc, "title");
        String name = SigmaRule.text(doc, "name");
        String id = SigmaRule.text(doc, "id");
        if (title == null) {
            throw new SigmaException("correlation: a rule needs a title");
        }
        if (id == null && name == null) {
            throw new SigmaException("correlation: a rule needs an id or a name");
        }
        String levelName = SigmaRule.levelName(doc);
        Severity level = SigmaRule.level(levelName);
        String typeText = SigmaRule.text(c, "type");
        Type type;
        try {
            type = Type.valueOf(String.valueOf(typeText).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException bad) {
            throw new SigmaException("correlation: type '" + typeText + "' is not supported (event_count,"
                    + " value_count, value_sum, value_avg, temporal, temporal_ordered)");
        }
        List<String> rules = strings(c.get("rules"), "rules");
        if (rules.isEmpty()) {
            throw new SigmaException("correlation: no rules");
        }
        if (new HashSet<>(rules).size() != rules.size()) {
            throw new SigmaException("correlation: a rule is named twice in rules");
        }
        List<String> groupBy = c.has("group-by") ? strings(c.get("group-by"), "group-by") : List.of();
        Map<String, Map<String, String>> aliases = new LinkedHashMap<>();
        JsonNode a = c.get("aliases");
        if (a != null && !a.isNull()) {
            if (!a.isObject()) {
                throw new SigmaException("correlation: aliases must map alias names to {rule: field}");
            }
            for (Map.Entry<String, JsonNode> alias : a.properties()) {
                if (!alias.getValue().isObject()) {
                    throw new SigmaException("correlation: alias '" + alias.getKey() + "' must map rules to fields");
                }
                Map<String, String> byRule = new LinkedHashMap<>();
                alias.getValue()
                        .properties()
                        .forEach(f -> byRule.put(f.getKey(), f.getValue().asText()));
                aliases.put(alias.getKey(), Map.copyOf(byRule));
            }
        }
        Duration timespan = timespan(SigmaRule.text(c, "timespan"));
        Condition condition = condition(c.get("condition"), type, rules.size());
        boolean generate =
                c.path("generate").asBoolean(false) || doc.path("generate").asBoolean(false);
        return new SigmaCorrelation(
                id != null ? id : name,
                name,
                title,
                SigmaRule.text(doc, "description"),
                SigmaRule.text(doc, "status"),
                levelName,
                level,
                SigmaRule.techniques(doc),
                file,
                type,
                List.copyOf(rules),
                List.copyOf(groupBy),
                Map.copyOf(aliases),
                timespan,
                condition,
                generate);
    }

    /** The field a group-by name reads in the events of the rule {@code item} (its alias, or itself). */
    String groupField(String groupBy, SigmaItem item) {
        Map<String, String> byRule = aliases.get(groupBy);
        if (byRule != null) {
            String f = item.name() != null ? byRule.get(item.name()) : null;
            if (f == null) {
                f = byRule.get(item.id());
            }
            if (f != null) {
                return f;
            }
        }
        return groupBy;
    }

    private static List<String> strings(JsonNode n, String what) throws SigmaException {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isValueNode()) {
            out.add(n.asText());
            return out;
        }
        if (!n.isArray()) {
            throw new SigmaException("correlation: " + what + " must be a list");
        }
        for (JsonNode x : n) {
            if (!x.isValueNode()) {
                throw new SigmaException("correlation: " + what + " must be a list of names");
            }
            out.add(x.asText());
        }
        return out;
    }

    /** {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}, as the specification writes a timespan. */
    static Duration timespan(String text) throws SigmaException {
        if (text == null || !text.matches("\\d{1,9}[smhdwMy]")) {
            throw new SigmaException("correlation: timespan '" + text + "' is not a number and s, m, h or d");
        }
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        Duration d = switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            case 'w' -> Duration.ofDays(7 * n);
            default ->
                throw new SigmaException("correlation: timespan '" + text + "': months and years are not supported");
        };
        if (d.isZero() || d.compareTo(Duration.ofDays(31)) > 0) {
            throw new SigmaException("correlation: timespan '" + text + "' must be above 0 and at most 31d");
        }
        return d;
    }

    private static Condition condition(JsonNode n, Type type, int rules) throws SigmaException {
        boolean temporal = type == Type.TEMPORAL || type == Type.TEMPORAL_ORDERED;
        if (n == null || n.isNull()) {
            if (!temporal) {
                throw new SigmaException("correlation: " + type.label() + " needs a condition");
            }
            return new Condition(null, null, (double) rules, null, null, null, null);
        }
        if (!n.isObject()) {
            throw new SigmaException("correlation: the condition must be a mapping such as {gte: 10}");
        }
        String field = null;
        Double[] bounds = new Double[6];
        List<String> ops = List.of("gt", "gte", "lt", "lte", "eq", "neq");
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            String k = e.getKey().toLowerCase(Locale.ROOT);
            if (k.equals("field")) {
                if (!e.getValue().isValueNode()) {
                    throw new SigmaException(
                            "correlation: condition field: one field name (several are not supported)");
                }
                field = e.getValue().asText();
                continue;
            }
            int i = ops.indexOf(k);
            if (i < 0) {
                throw new SigmaException("correlation: condition '" + e.getKey() + "' is none of " + ops);
            }
            if (!e.getValue().isNumber() && !e.getValue().asText().matches("-?\\d+(\\.\\d+)?")) {
                throw new SigmaException("correlation: condition " + k + ": not a number");
            }
            bounds[i] = e.getValue().asDouble();
        }
        Condition c = new Condition(field, bounds[0], bounds[1], bounds[2], bounds[3], bounds[4], bounds[5]);
        boolean valued = type == Type.VALUE_COUNT || type == Type.VALUE_SUM || type == Type.VALUE_AVG;
        if (valued && field == null) {
            throw new SigmaException("correlation: " + type.label() + " needs condition.field");
        }
        if (c.describe().isEmpty()) {
            throw new SigmaException("correlation: the condition has no bound (gt, gte, lt, lte, eq, neq)");
        }
        if (temporal && (!c.rising() || type == Type.TEMPORAL_ORDERED && (!c.test(rules) || c.test(rules - 1)))) {
            throw new SigmaException("correlation: a " + type.label()
                    + " condition can only ask for a least number of the rules"
                    + (type == Type.TEMPORAL_ORDERED ? " (all of them, in order)" : ""));
        }
        if ((type == Type.EVENT_COUNT || type == Type.VALUE_COUNT) && c.horizon() > MAX_COUNT) {
            throw new SigmaException("correlation: counts above " + MAX_COUNT + " per group are not supported");
        }
        return c;
    }
}
