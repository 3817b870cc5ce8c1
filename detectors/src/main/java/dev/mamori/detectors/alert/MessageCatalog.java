package dev.mamori.detectors.alert;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rule names, alert messages and recommendations in one language, read from
 * {@code messages_<lang>.properties} (UTF-8). Keys are {@code <rule id>.name},
 * {@code <rule id>.message} (and {@code <rule id>.message.<variant>} where a rule words some of its
 * alerts differently), {@code <rule id>.recommendation}, {@code <rule id>.reason} (the block page of
 * an inline verdict) and {@code text.<name>} for the words a detection puts into a message; a key
 * missing in the chosen language falls back to English, so a half-translated catalog never produces
 * an empty field. Every text a person reads comes from here, never from a detection's code.
 *
 * <p>Messages use positional placeholders {@code {0}}, {@code {1}}, ... replaced by the plain
 * {@link String#valueOf} of the argument. {@link java.text.MessageFormat} is deliberately not used:
 * it would print port 8080 as "8,080" and treat apostrophes as quotes.
 */
public final class MessageCatalog {

    private final Language language;
    private final Properties messages;
    private final Properties fallback;

    private MessageCatalog(Language language, Properties messages, Properties fallback) {
        this.language = language;
        this.messages = messages;
        this.fallback = fallback;
    }

    public static MessageCatalog load(Language language) {
        Properties english = read(Language.EN);
        return new MessageCatalog(language, language == Language.EN ? english : read(language), english);
    }

    public Language language() {
        return language;
    }

    public String name(String ruleId) {
        return rule(ruleId).name();
    }

    public String recommendation(String ruleId) {
        return rule(ruleId).recommendation();
    }

    public String message(String ruleId, Object... args) {
        return format(rule(ruleId).message(), args);
    }

    /** The message of one of a rule's variants ({@code <rule id>.message.<variant>}), else its message. */
    public String variantMessage(String ruleId, String variant, Object... args) {
        RuleTexts rule = rule(ruleId);
        return format(variant == null ? rule.message() : rule.variant(variant, this), args);
    }

    /** Why an inline input refused a request on this rule, for the person who sees the block page. */
    public String reason(String ruleId, Object... args) {
        return format(rule(ruleId).reason(), args);
    }

    /** A word or phrase detections put into messages ({@code text.<name>}). */
    public String text(String name, Object... args) {
        String template = words.get(name);
        if (template == null) {
            template = lookup("text." + name, name);
            if (words.size() < MAX_KEPT) {
                words.put(name, template);
            }
        }
        return format(template, args);
    }

    /**
     * One rule's texts, looked up once: an alert asked for them by keys built per call, which with
     * an alert on every ICAP request was a tenth of the alert's way. The catalog never changes, so
     * what is kept stays right; bounded in case rule ids were ever made up per alert.
     */
    private final Map<String, RuleTexts> rules = new ConcurrentHashMap<>();

    private final Map<String, String> words = new ConcurrentHashMap<>();

    static final int MAX_KEPT = 4096;

    private RuleTexts rule(String ruleId) {
        RuleTexts t = rules.get(ruleId);
        if (t == null) {
            t = new RuleTexts(
                    ruleId,
                    lookup(ruleId + ".name", ruleId),
                    lookup(ruleId + ".message", ruleId),
                    lookup(ruleId + ".recommendation", ""),
                    lookup(ruleId + ".reason", ruleId),
                    new ConcurrentHashMap<>());
            if (rules.size() < MAX_KEPT) {
                rules.put(ruleId, t);
            }
        }
        return t;
    }

    private record RuleTexts(
            String id,
            String name,
            String message,
            String recommendation,
            String reason,
            Map<String, String> variants) {

        /** The variant's template, the plain message where the catalog has none. */
        String variant(String variant, MessageCatalog catalog) {
            String template = variants.get(variant);
            if (template == null) {
                template = catalog.lookup(id + ".message." + variant, message);
                if (variants.size() < MAX_KEPT) {
                    variants.put(variant, template);
                }
            }
            return template;
        }
    }

    /** A window as people write it: "1 h", "5 min", "30 s" (or the language's own units). */
    public String duration(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600 && s % 3600 == 0) {
            return text("hours", s / 3600);
        }
        if (s >= 60 && s % 60 == 0) {
            return text("minutes", s / 60);
        }
        return text("seconds", s);
    }

    /** Whether this language itself (not the fallback) defines the key; used by catalog tests. */
    public boolean defines(String key) {
        return messages.containsKey(key);
    }

    private String lookup(String key, String otherwise) {
        String value = messages.getProperty(key);
        if (value == null) {
            value = fallback.getProperty(key, otherwise);
        }
        return value;
    }

    static String format(String template, Object... args) {
        if (template.indexOf('{') < 0) {
            return template;
        }
        StringBuilder out = new StringBuilder(template.length() + 32);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            int close = c == '{' ? template.indexOf('}', i) : -1;
            if (close > i + 1 && isIndex(template, i + 1, close)) {
                int index = Integer.parseInt(template, i + 1, close, 10);
                out.append(index < args.length ? String.valueOf(args[index]) : "");
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean isIndex(String s, int from, int to) {
        if (to - from > 2) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static Properties read(Language language) {
        String resource = "messages_" + language.code() + ".properties";
        Properties p = new Properties();
        try (InputStream in = MessageCatalog.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("message catalog missing from the class path: " + resource);
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read message catalog " + resource, e);
        }
        return p;
    }
}
