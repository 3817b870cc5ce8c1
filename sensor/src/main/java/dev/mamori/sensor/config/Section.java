package dev.mamori.sensor.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * One mapping of the YAML tree, read key by key. Each getter records its key as known, validates the
 * value (errors go to the shared list with the full key path, and the default is used instead) and
 * writes the effective value into a parallel tree that {@code check-config} prints. {@link #finish()}
 * then reports every key nobody asked for, with a "did you mean" where one is close.
 */
final class Section {

    private final String path;
    private final JsonNode node;
    private final List<ConfigError> errors;
    private final ObjectNode effective;
    private final Set<String> known = new LinkedHashSet<>();

    private Section(String path, JsonNode node, List<ConfigError> errors, ObjectNode effective) {
        this.path = path;
        this.node = node;
        this.errors = errors;
        this.effective = effective;
    }

    static Section root(JsonNode node, List<ConfigError> errors, ObjectNode effective) {
        Section s =
                new Section("", node == null || node.isNull() || node.isMissingNode() ? null : node, errors, effective);
        if (s.node != null && !s.node.isObject()) {
            errors.add(new ConfigError("", "the configuration must be a mapping of sections"));
            return new Section("", null, errors, effective);
        }
        return s;
    }

    boolean present() {
        return node != null;
    }

    String path() {
        return path;
    }

    String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    void error(String key, String message) {
        errors.add(new ConfigError(key == null ? path : keyPath(key), message));
    }

    private JsonNode raw(String key) {
        known.add(key);
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    boolean has(String key) {
        return raw(key) != null;
    }

    /** A scalar as text; {@code def} when absent (null: optional, and then nothing is printed). */
    String string(String key, String def) {
        JsonNode v = raw(key);
        String result = def;
        if (v != null) {
            if (v.isValueNode()) {
                result = v.asText();
            } else {
                error(key, "must be a single value, was a " + kind(v));
            }
        }
        if (result != null) {
            effective.put(key, result);
        }
        return result;
    }

    String choice(String key, String def, String... options) {
        String v = string(key, def);
        if (v == null) {
            return null;
        }
        for (String o : options) {
            if (o.equalsIgnoreCase(v)) {
                effective.put(key, o);
                return o;
            }
        }
        error(key, "must be one of " + String.join(" | ", options) + ", was '" + v + "'");
        effective.put(key, def);
        return def;
    }

    int integer(String key, int def, int min, int max) {
        JsonNode v = raw(key);
        int result = def;
        if (v != null) {
            if (v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= min && v.asLong() <= max) {
                result = v.asInt();
            } else if (v.isIntegralNumber()
                    || (v.isTextual() && v.asText().strip().matches("-?\\d+"))) {
                error(key, "must be " + min + ".." + max + ", was " + v.asText());
            } else {
                error(key, "must be a whole number " + min + ".." + max + ", was " + shown(v));
            }
        }
        effective.put(key, result);
        return result;
    }

    int port(String key, int def) {
        return integer(key, def, 0, 65535);
    }

    boolean bool(String key, boolean def) {
        JsonNode v = raw(key);
        boolean result = def;
        if (v != null) {
            if (v.isBoolean()) {
                result = v.asBoolean();
            } else {
                error(key, "must be true or false, was " + shown(v));
            }
        }
        effective.put(key, result);
        return result;
    }

    Duration duration(String key, Duration def) {
        return parsed(key, def, Durations::parse, Durations::format, true);
    }

    long size(String key, long def, long min) {
        long v = parsed(key, def, Sizes::parse, Sizes::format, true);
        if (v < min) {
            error(key, "must be at least " + min + ", was " + v);
            effective.put(key, Sizes.format(def));
            return def;
        }
        return v;
    }

    /** A scalar turned into a value by {@code parser}, whose exception message becomes the error. */
    <T> T parsed(String key, T def, Function<String, T> parser, Function<T, String> printer, boolean print) {
        JsonNode v = raw(key);
        T result = def;
        if (v != null) {
            if (!v.isValueNode()) {
                error(key, "must be a single value, was a " + kind(v));
            } else {
                try {
                    result = parser.apply(v.asText());
                } catch (RuntimeException e) {
                    error(key, e.getMessage());
                }
            }
        }
        if (result != null && print) {
            effective.put(key, printer.apply(result));
        }
        return result;
    }

    /** A list of scalars; a single scalar is taken as a list of one. */
    List<String> strings(String key, List<String> def) {
        JsonNode v = raw(key);
        List<String> result = def;
        if (v != null) {
            List<String> items = new ArrayList<>();
            if (v.isArray()) {
                int i = 0;
                for (JsonNode item : v) {
                    if (item.isValueNode() && !item.isNull()) {
                        items.add(item.asText());
                    } else {
                        errors.add(new ConfigError(
                                keyPath(key) + "[" + i + "]", "must be a single value, was a " + kind(item)));
                    }
                    i++;
                }
            } else if (v.isValueNode()) {
                items.add(v.asText());
            } else {
                error(key, "must be a list, was a " + kind(v));
            }
            result = items;
        }
        ArrayNode out = effective.putArray(key);
        result.forEach(out::add);
        return List.copyOf(result);
    }

    List<Integer> integers(String key, List<Integer> def, int min, int max) {
        List<String> texts = strings(key, def.stream().map(String::valueOf).toList());
        List<Integer> result = new ArrayList<>();
        ArrayNode out = effective.putArray(key);
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i).strip();
            try {
                int n = Integer.parseInt(t);
                if (n < min || n > max) {
                    throw new NumberFormatException();
                }
                result.add(n);
                out.add(n);
            } catch (NumberFormatException e) {
                errors.add(new ConfigError(
                        keyPath(key) + "[" + i + "]", "must be " + min + ".." + max + ", was '" + t + "'"));
            }
        }
        return List.copyOf(result);
    }

    /** A nested mapping; an absent one reads as empty, so its getters give their defaults. */
    Section section(String key) {
        JsonNode v = raw(key);
        ObjectNode out = effective.putObject(key);
        if (v != null && !v.isObject()) {
            error(key, "must be a mapping of keys, was a " + kind(v));
            v = null;
        }
        return new Section(keyPath(key), v, errors, out);
    }

    /** A section printed only when present (optional outputs). */
    Section optionalSection(String key) {
        Section s = section(key);
        if (!s.present()) {
            effective.remove(key);
        }
        return s;
    }

    /** Whether {@code key} holds a list whose first item is a mapping. */
    boolean isListOfMappings(String key) {
        JsonNode v = node == null ? null : node.get(key);
        return v != null && v.isArray() && v.size() > 0 && v.get(0).isObject();
    }

    /** A list of mappings, e.g. {@code ad_domains: [{netbios: CORP, fqdn: corp.example.com}]}. */
    List<Section> sections(String key) {
        JsonNode v = raw(key);
        List<Section> result = new ArrayList<>();
        ArrayNode out = effective.putArray(key);
        if (v == null) {
            return result;
        }
        if (!v.isArray()) {
            error(key, "must be a list of mappings, was a " + kind(v));
            return result;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            String itemPath = keyPath(key) + "[" + i + "]";
            if (!item.isObject()) {
                errors.add(new ConfigError(itemPath, "must be a mapping of keys, was a " + kind(item)));
                continue;
            }
            result.add(new Section(itemPath, item, errors, out.addObject()));
        }
        return result;
    }

    /** The keys present, for sections whose keys are names (e.g. rule ids under {@code detectors}). */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        if (node != null) {
            node.fieldNames().forEachRemaining(keys::add);
        }
        return keys;
    }

    /** Prints {@code shown} in place of a value that holds a secret (check-config never shows it). */
    void redact(String key, String shown) {
        if (effective.has(key)) {
            effective.put(key, shown);
        }
    }

    /** Reports every key present but never asked for. */
    void finish() {
        if (node == null) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                String hint = DidYouMean.closest(key, known)
                        .map(k -> " (did you mean '" + k + "'?)")
                        .orElse(known.isEmpty() ? "" : " (known keys: " + String.join(", ", known) + ")");
                error(key, "unknown key" + hint);
            }
        }
    }

    private static String kind(JsonNode v) {
        if (v.isObject()) {
            return "mapping";
        }
        if (v.isArray()) {
            return "list";
        }
        return v.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String shown(JsonNode v) {
        return v.isValueNode() ? "'" + v.asText() + "'" : "a " + kind(v);
    }

    static ObjectNode newTree() {
        return JsonNodeFactory.instance.objectNode();
    }
}
