package dev.mamori.detectors.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The literal prefilter may only leave out rules that cannot match: random rules over awkward
 * characters (case pairs outside ASCII, the Kelvin sign, long s, dotted capital I, escapes,
 * wildcards, dashes) and random events give the same matches with and without it.
 */
class PrefilterTest {

    private static final String ALPHABET = "abAB\\*?-/ Kk\u212A\u017Fs\u0130i\u0307\u00e9\u00c9.+";
    private static final String[] MODIFIERS = {
        "",
        "|contains",
        "|startswith",
        "|endswith",
        "|re",
        "|re|i",
        "|windash",
        "|cased",
        "|contains|all",
        "|contains|cased",
        "|contains|windash"
    };
    private static final String[] FIELDS = {"A", "B", "a", "Image"};
    private static final String[] CONDITIONS = {
        "s1", "s1 and s2", "s1 or s2", "1 of s*", "all of them", "s1 and not s2", "not s1", "(s1 or s2) and s1"
    };

    @Test
    void randomRulesMatchTheSameWithAndWithoutThePrefilter() {
        Random random = new Random(20261204);
        List<SigmaRule> rules = new ArrayList<>();
        int attempts = 0;
        while (rules.size() < 2000 && attempts++ < 20_000) {
            try {
                rules.add(SigmaRule.compile(SigmaTesting.YAML.readTree(rule(random, rules.size())), Path.of("r.yml")));
            } catch (SigmaException invalidRegex) {
                // random text is often no valid regular expression: skip it
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        assertThat(rules).hasSizeGreaterThan(1500);
        assertThat(rules.stream().filter(r -> r.detection().need().known()).count())
                .as("most random rules have literals to filter on")
                .isGreaterThan(500);
        RuleGroup group = new RuleGroup(rules, true);
        int matches = 0;
        for (int e = 0; e < 3000; e++) {
            Map<String, String> fields = new HashMap<>();
            for (String f : FIELDS) {
                if (random.nextInt(4) > 0) {
                    fields.put(random.nextBoolean() ? f : f.toUpperCase(java.util.Locale.ROOT), text(random, 14));
                }
            }
            List<SigmaRule> filtered = new ArrayList<>();
            group.evaluate(SigmaEvent.of(fields), filtered::add, () -> {
                throw new AssertionError("a rule threw");
            });
            SigmaEvent plain = SigmaEvent.of(fields);
            List<SigmaRule> reference =
                    rules.stream().filter(r -> r.matches(plain)).toList();
            assertThat(filtered).as("event %s", fields).containsExactlyElementsOf(reference);
            matches += reference.size();
        }
        assertThat(matches).as("the events match some rules").isGreaterThan(1000);
    }

    private static String rule(Random random, int n) {
        StringBuilder b = new StringBuilder(
                "title: r\nid: r" + n + "\nlogsource: {product: windows, service: security}\n" + "detection:\n");
        for (String s : new String[] {"s1", "s2"}) {
            b.append("  ").append(s).append(":\n");
            int fields = 1 + random.nextInt(2);
            for (int f = 0; f < fields; f++) {
                String mod = MODIFIERS[random.nextInt(MODIFIERS.length)];
                b.append("    '")
                        .append(FIELDS[random.nextInt(FIELDS.length)])
                        .append(mod)
                        .append("':\n");
                int values = 1 + random.nextInt(3);
                for (int v = 0; v < values; v++) {
                    String value = mod.startsWith("|re") ? regex(random) : text(random, 5);
                    b.append("      - \"").append(yaml(value)).append("\"\n");
                }
            }
        }
        b.append("  condition: ")
                .append(CONDITIONS[random.nextInt(CONDITIONS.length)])
                .append('\n');
        return b.toString();
    }

    private static String regex(Random random) {
        String[] parts = {"a", "b", "K", "\\+", ".*", "s", "[ab]", "(a|b)", "x?", "\u017F", "\u0130", "\\d", "+", "^"};
        StringBuilder r = new StringBuilder();
        for (int i = random.nextInt(5); i >= 0; i--) {
            r.append(parts[random.nextInt(parts.length)]);
        }
        return r.toString();
    }

    private static String text(Random random, int max) {
        StringBuilder t = new StringBuilder();
        for (int i = random.nextInt(max + 1); i > 0; i--) {
            t.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return t.toString();
    }

    private static String yaml(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Test
    void ahoCorasickFindsWhatIndexOfFindsOnFoldedText() {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            List<String> patterns = new ArrayList<>();
            for (int i = random.nextInt(12) + 1; i > 0; i--) {
                String p = Fold.longestLiteral(
                        text(random, 4).replace("*", "").replace("?", "").replace("\\", ""));
                if (!p.isEmpty() && !patterns.contains(p)) {
                    patterns.add(p);
                }
            }
            if (patterns.isEmpty()) {
                continue;
            }
            AhoCorasick ac = new AhoCorasick(patterns);
            for (int t = 0; t < 20; t++) {
                String text = text(random, 30);
                StringBuilder folded = new StringBuilder();
                text.chars().forEach(c -> folded.append(Fold.fold((char) c)));
                boolean[] found = new boolean[patterns.size()];
                ac.scan(text, p -> found[p] = true);
                for (int p = 0; p < patterns.size(); p++) {
                    assertThat(found[p])
                            .as("'%s' in '%s'", patterns.get(p), text)
                            .isEqualTo(folded.indexOf(patterns.get(p)) >= 0);
                }
            }
        }
    }

    @Test
    void foldingJoinsWhatCaseInsensitiveComparisonsJoin() {
        assertThat(Fold.fold('K')).isEqualTo('k');
        assertThat(Fold.fold('\u212A')).as("Kelvin sign").isEqualTo('k');
        assertThat(Fold.fold('\u017F')).as("long s").isEqualTo('s');
        assertThat(Fold.fold('\u0130')).as("dotted capital I").isEqualTo(Fold.fold('i'));
        assertThat(Fold.fold('\u00c9')).isEqualTo(Fold.fold('\u00e9'));
        assertThat(Fold.fold('\u2800')).as("caseless").isEqualTo('\u2800');
        assertThat(Fold.longestLiteral("*\\\\cmd.exe")).isEqualTo("\\cmd.exe");
        assertThat(Fold.longestLiteral("a*bcd?e")).isEqualTo("bcd");
        assertThat(Fold.longestLiteral("a\\*b")).isEqualTo("a*b");
    }

    @Test
    void regexLiteralsAreOnlyWhatEveryMatchContains() {
        assertThat(Regexes.requiredLiteral("net\\s+user\\s+")).isEqualTo("user");
        assertThat(Regexes.requiredLiteral("https?://0[0-9]{3,11}")).isEqualTo("http");
        assertThat(Regexes.requiredLiteral("abc|defgh")).isEmpty();
        assertThat(Regexes.requiredLiteral("(abcdef)?xy")).isEqualTo("xy");
        assertThat(Regexes.requiredLiteral("abcd{0,2}")).isEqualTo("abc");
        assertThat(Regexes.requiredLiteral("\\x41BCD")).isEmpty();
        Random random = new Random(11);
        for (int i = 0; i < 5000; i++) {
            String re = regex(random) + regex(random);
            Pattern p;
            try {
                p = Pattern.compile(re);
            } catch (RuntimeException invalid) {
                continue;
            }
            String literal = Regexes.requiredLiteral(re);
            Predicate<String> fast = Regexes.orderedLiterals(re, "");
            for (int t = 0; t < 20; t++) {
                String v = text(random, 10) + "aKb+s\u017F";
                boolean found = p.matcher(v).find();
                StringBuilder folded = new StringBuilder();
                v.chars().forEach(c -> folded.append(Fold.fold((char) c)));
                if (found) {
                    assertThat(folded.indexOf(literal))
                            .as("/%s/ on '%s' needs '%s'", re, v, literal)
                            .isGreaterThanOrEqualTo(0);
                }
                if (fast != null) {
                    assertThat(fast.test(v)).as("/%s/ on '%s'", re, v).isEqualTo(found);
                }
            }
        }
    }
}
