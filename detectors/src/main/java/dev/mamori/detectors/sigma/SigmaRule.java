package dev.mamori.detectors.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mamori.detectors.alert.Severity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One compiled Sigma rule: its metadata and its detection as a {@link Match}, compiled once.
 *
 * @param level the rule's level as an alert severity (informational counts as low)
 * @param techniques the ATT&amp;CK technique ids of its {@code attack.tNNNN} tags
 * @param eventIds event ids one of which every match has (from a required {@code EventID}
 *     selection); empty when the detection does not say, so the rule sees every event of its logsource
 */
public record SigmaRule(
        String id,
        String name,
        String title,
        String description,
        String status,
        String levelName,
        Severity level,
        List<String> techniques,
        Logsource logsource,
        Match detection,
        Path file,
        Set<Integer> eventIds)
        implements SigmaItem {

    /** Compiles a rule document; a reason names what could not be compiled. */
    static SigmaRule compile(JsonNode doc, Path file) throws SigmaException {
        if (doc == null || !doc.isObject()) {
            throw new SigmaException("not a Sigma rule (a YAML mapping)");
        }
        if (doc.has("action")) {
            throw new SigmaException("rule collections (action: global) are not supported");
        }
        String id = text(doc, "id");
        String title = text(doc, "title");
        if (id == null || title == null) {
            throw new SigmaException("a rule needs an id and a title");
        }
        String levelName = levelName(doc);
        Severity level = level(levelName);
        List<String> techniques = techniques(doc);
        JsonNode ls = doc.path("logsource");
        Logsource logsource = Logsource.of(text(ls, "product"), text(ls, "category"), text(ls, "service"));
        JsonNode detection = doc.get("detection");
        if (detection == null || !detection.isObject()) {
            throw new SigmaException("no detection");
        }
        Map<String, Match> searches = new LinkedHashMap<>();
        Map<String, Set<Integer>> idsBySearch = new HashMap<>();
        String condition = null;
        for (Map.Entry<String, JsonNode> e : detection.properties()) {
            if (e.getKey().equals("condition")) {
                JsonNode c = e.getValue();
                if (c.isArray()) {
                    List<String> parts = new ArrayList<>();
                    c.forEach(x -> parts.add("(" + x.asText() + ")"));
                    condition = String.join(" or ", parts);
                } else {
                    condition = c.asText();
                }
            } else if (!e.getKey().equals("timeframe")) {
                searches.put(e.getKey(), search(e.getKey(), e.getValue()));
                Set<Integer> ids = eventIds(e.getValue());
                if (ids != null) {
                    idsBySearch.put(e.getKey(), ids);
                }
            }
        }
        if (condition == null) {
            throw new SigmaException("detection without a condition");
        }
        return new SigmaRule(
                id,
                text(doc, "name"),
                title,
                text(doc, "description"),
                text(doc, "status"),
                levelName,
                level,
                techniques,
                logsource,
                Conditions.compile(condition, searches),
                file,
                requiredIds(condition, idsBySearch));
    }

    /** The event ids a search demands when it is a map with a plain {@code EventID} key; null otherwise. */
    private static Set<Integer> eventIds(JsonNode search) {
        if (!search.isObject() || !search.has("EventID")) {
            return null;
        }
        Set<Integer> ids = new HashSet<>();
        JsonNode v = search.get("EventID");
        for (JsonNode id : v.isArray() ? v : List.of(v)) {
            if (!id.isIntegralNumber() && !id.asText().matches("\\d{1,5}")) {
                return null;
            }
            ids.add(Integer.parseInt(id.asText()));
        }
        return ids.isEmpty() ? null : Set.copyOf(ids);
    }

    private static Set<Integer> requiredIds(String condition, Map<String, Set<Integer>> idsBySearch) {
        for (String name : Conditions.required(condition)) {
            Set<Integer> ids = idsBySearch.get(name);
            if (ids != null) {
                return ids;
            }
        }
        return Set.of();
    }

    /** A search identifier: a map (every field), a list of maps (any), or keywords (any value anywhere). */
    private static Match search(String name, JsonNode node) throws SigmaException {
        if (node.isObject()) {
            return fields(node);
        }
        if (node.isArray()) {
            List<Match> any = new ArrayList<>();
            List<String> keywords = new ArrayList<>();
            for (JsonNode item : node) {
                if (item.isObject()) {
                    any.add(fields(item));
                } else if (item.isValueNode()) {
                    keywords.add(item.asText());
                } else {
                    throw new SigmaException("search '" + name + "': a list may hold maps or keywords only");
                }
            }
            if (!keywords.isEmpty()) {
                any.add(Keywords.of(keywords));
            }
            if (any.isEmpty()) {
                throw new SigmaException("search '" + name + "' is empty");
            }
            return Match.or(any);
        }
        if (node.isValueNode()) {
            return Keywords.of(List.of(node.asText()));
        }
        throw new SigmaException("search '" + name + "' is neither a map, a list nor a keyword");
    }

    private static Match fields(JsonNode map) throws SigmaException {
        List<Match> all = new ArrayList<>();
        for (Map.Entry<String, JsonNode> f : map.properties()) {
            List<Object> values = new ArrayList<>();
            if (f.getValue().isArray()) {
                for (JsonNode v : f.getValue()) {
                    values.add(value(v));
                }
            } else {
                values.add(value(f.getValue()));
            }
            all.add(FieldConditions.compile(f.getKey(), values));
        }
        return Match.and(all);
    }

    private static Object value(JsonNode v) throws SigmaException {
        if (v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isValueNode()) {
            return v.asText();
        }
        throw new SigmaException("a field's value must be a scalar or a list of scalars");
    }

    static String levelName(JsonNode doc) {
        String l = text(doc, "level");
        return l == null ? "medium" : l.toLowerCase(Locale.ROOT);
    }

    /** A Sigma level as an alert severity (informational counts as low). */
    static Severity level(String levelName) throws SigmaException {
        return switch (levelName) {
            case "informational", "low" -> Severity.LOW;
            case "medium" -> Severity.MEDIUM;
            case "high" -> Severity.HIGH;
            case "critical" -> Severity.CRITICAL;
            default ->
                throw new SigmaException(
                        "level '" + levelName + "' is none of informational, low, medium, high, critical");
        };
    }

    /** The ATT&amp;CK technique ids of the rule's {@code attack.tNNNN} tags. */
    static List<String> techniques(JsonNode doc) {
        List<String> techniques = new ArrayList<>();
        for (JsonNode tag : doc.path("tags")) {
            String t = tag.asText().toLowerCase(Locale.ROOT);
            if (t.matches("attack\\.t\\d{4}(\\.\\d{3})?")) {
                techniques.add(t.substring("attack.".length()).toUpperCase(Locale.ROOT));
            }
        }
        return List.copyOf(techniques);
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Whether the rule matches the event. */
    public boolean matches(SigmaEvent e) {
        return detection.test(e);
    }
}
