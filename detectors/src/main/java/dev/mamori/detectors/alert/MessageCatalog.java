package dev.mamori.detectors.alert;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Rule names, alert messages and recommendations in one language, read from
 * {@code messages_<lang>.properties} (UTF-8). Keys are {@code <rule id>.name},
 * {@code <rule id>.message} and {@code <rule id>.recommendation}; a key missing in the chosen
 * language falls back to English, so a half-translated catalog never produces an empty field.
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
        return lookup(ruleId + ".name", ruleId);
    }

    public String recommendation(String ruleId) {
        return lookup(ruleId + ".recommendation", "");
    }

    public String message(String ruleId, Object... args) {
        return format(lookup(ruleId + ".message", ruleId), args);
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
