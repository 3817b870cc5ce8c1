package dev.mamori.detectors.sigma;

import dev.mamori.detectors.site.IpSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles one field condition of a detection, {@code Field|modifier|...: value(s)}, as the Sigma
 * specification defines its value modifiers: a list of values matches when any does ({@code all}:
 * every one); strings match whole values, case-insensitively unless {@code cased}, with {@code *}
 * and {@code ?} wildcards ({@code \*}, {@code \?}, {@code \\} escape them); {@code null} matches an
 * absent or empty field. Unknown modifiers are refused with their name.
 */
final class FieldConditions {

    private static final char[] DASHES = {'-', '/', '\u2013', '\u2014', '\u2015'};

    private FieldConditions() {}

    static Match compile(String key, List<Object> values) throws SigmaException {
        String[] parts = key.split("\\|");
        String field = parts[0];
        int slot = FieldSlots.of(field);
        boolean contains = false;
        boolean startsWith = false;
        boolean endsWith = false;
        boolean all = false;
        boolean cased = false;
        boolean windash = false;
        String base64 = null; // "base64" or "base64offset"
        String encoding = null; // utf16le, utf16be, utf16, wide
        String re = null; // flags after re
        String compare = null; // lt, lte, gt, gte
        boolean cidr = false;
        boolean exists = false;
        boolean fieldref = false;
        for (int i = 1; i < parts.length; i++) {
            String m = parts[i].toLowerCase(Locale.ROOT);
            switch (m) {
                case "contains" -> contains = true;
                case "startswith" -> startsWith = true;
                case "endswith" -> endsWith = true;
                case "all" -> all = true;
                case "cased" -> cased = true;
                case "windash" -> windash = true;
                case "base64", "base64offset" -> base64 = m;
                case "utf16le", "utf16be", "utf16", "wide" -> encoding = m;
                case "re" -> re = "";
                case "i", "m", "s" -> {
                    if (re == null) {
                        throw new SigmaException("modifier '" + m + "' without re");
                    }
                    re += m;
                }
                case "lt", "lte", "gt", "gte" -> compare = m;
                case "cidr" -> cidr = true;
                case "exists" -> exists = true;
                case "fieldref" -> fieldref = true;
                case "expand" -> throw new SigmaException("placeholder values (expand) need site lists: not supported");
                default -> throw new SigmaException("unknown value modifier '" + parts[i] + "'");
            }
        }
        if (encoding != null && base64 == null) {
            throw new SigmaException("modifier '" + encoding + "' without base64 or base64offset");
        }
        if (exists) {
            boolean want = values.size() == 1 && Boolean.TRUE.equals(values.get(0))
                    || values.size() == 1 && "true".equalsIgnoreCase(String.valueOf(values.get(0)));
            return e -> {
                String v = e.field(slot, field);
                return (v != null) == want;
            };
        }
        List<Match> each = new ArrayList<>();
        for (Object value : values) {
            if (value == null) {
                each.add(e -> {
                    String v = e.field(slot, field);
                    return v == null || v.isEmpty();
                });
                continue;
            }
            String text = String.valueOf(value);
            Predicate<String> p;
            Need need = Need.ANY;
            if (fieldref) {
                String other = text;
                boolean c = contains;
                boolean sw = startsWith;
                boolean ew = endsWith;
                each.add(e -> {
                    String v = e.field(slot, field);
                    String o = e.field(other);
                    if (v == null || o == null) {
                        return false;
                    }
                    return c ? v.contains(o) : sw ? v.startsWith(o) : ew ? v.endsWith(o) : v.equals(o);
                });
                continue;
            } else if (re != null) {
                p = regex(text, re);
                need = Need.of(field, Regexes.requiredLiteral(text));
            } else if (cidr) {
                IpSet set;
                try {
                    set = IpSet.of(List.of(text));
                } catch (IllegalArgumentException bad) {
                    throw new SigmaException("cidr: not a network: '" + text + "'");
                }
                p = v -> set.contains(v);
            } else if (compare != null) {
                double limit;
                try {
                    limit = Double.parseDouble(text);
                } catch (NumberFormatException bad) {
                    throw new SigmaException(compare + ": not a number: '" + text + "'");
                }
                String op = compare;
                p = v -> {
                    double d;
                    try {
                        d = Double.parseDouble(v.strip());
                    } catch (NumberFormatException notNumber) {
                        return false;
                    }
                    return switch (op) {
                        case "lt" -> d < limit;
                        case "lte" -> d <= limit;
                        case "gt" -> d > limit;
                        default -> d >= limit;
                    };
                };
            } else {
                List<String> variants = new ArrayList<>();
                if (base64 != null) {
                    byte[] raw = encode(text, encoding);
                    if (base64.equals("base64")) {
                        variants.add(escape(Base64.getEncoder().encodeToString(raw)));
                    } else {
                        variants.addAll(base64Offsets(raw));
                    }
                } else if (windash) {
                    for (char d : DASHES) {
                        variants.add(dash(text, d));
                    }
                } else {
                    variants.add(text);
                }
                List<Predicate<String>> ps = new ArrayList<>();
                // base64 text is case-sensitive by nature
                boolean sensitive = cased || base64 != null;
                for (String v : variants) {
                    ps.add(
                            sensitive
                                    ? Wildcards.compile(v, contains || endsWith, contains || startsWith, true)
                                    : Wildcards.compileLowered(v, contains || endsWith, contains || startsWith));
                }
                Predicate<String> any = ps.size() == 1
                        ? ps.get(0)
                        : v -> {
                            for (Predicate<String> x : ps) {
                                if (x.test(v)) {
                                    return true;
                                }
                            }
                            return false;
                        };
                List<Need> needs = new ArrayList<>();
                for (String v : variants) {
                    needs.add(Need.of(field, Fold.longestLiteral(v)));
                }
                need = Need.or(needs);
                if (!sensitive) {
                    each.add(Match.needing(need, e -> {
                        String v = e.lower(slot, field);
                        return v != null && any.test(v);
                    }));
                    continue;
                }
                Predicate<String> exactCase = any;
                each.add(Match.needing(need, e -> {
                    String v = e.field(slot, field);
                    return v != null && exactCase.test(v);
                }));
                continue;
            }
            Predicate<String> test = p;
            each.add(Match.needing(need, e -> {
                String v = e.field(slot, field);
                return v != null && test.test(v);
            }));
        }
        if (each.isEmpty()) {
            throw new SigmaException("field '" + field + "' without a value");
        }
        return all ? Match.and(each) : Match.or(each);
    }

    private static Predicate<String> regex(String text, String flags) throws SigmaException {
        int f = 0;
        if (flags.contains("i")) {
            f |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
        }
        if (flags.contains("m")) {
            f |= Pattern.MULTILINE;
        }
        if (flags.contains("s")) {
            f |= Pattern.DOTALL;
        }
        try {
            Pattern pattern = Pattern.compile(text, f);
            Predicate<String> fast = Regexes.orderedLiterals(text, flags);
            if (fast != null) {
                return fast;
            }
            return v -> pattern.matcher(v).find();
        } catch (PatternSyntaxException e) {
            throw new SigmaException("re: " + e.getDescription() + " in '" + text + "'");
        }
    }

    /** The dashes of command-line flags (at the start or after a space) replaced by {@code d}. */
    private static String dash(String text, char d) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean flag = c == '-' && (i == 0 || text.charAt(i - 1) == ' ' || text.charAt(i - 1) == '*');
            b.append(flag ? d : c);
        }
        return b.toString();
    }

    private static byte[] encode(String text, String encoding) {
        if (encoding == null) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        return switch (encoding) {
            case "utf16be" -> text.getBytes(StandardCharsets.UTF_16BE);
            case "utf16" -> {
                byte[] body = text.getBytes(StandardCharsets.UTF_16LE);
                byte[] out = new byte[body.length + 2];
                out[0] = (byte) 0xff;
                out[1] = (byte) 0xfe;
                System.arraycopy(body, 0, out, 2, body.length);
                yield out;
            }
            default -> text.getBytes(StandardCharsets.UTF_16LE); // utf16le, wide
        };
    }

    /**
     * The three encodings of {@code raw} at each offset in a longer base64 text, with the characters
     * that depend on unknown neighbours cut off (the specification's base64offset).
     */
    private static List<String> base64Offsets(byte[] raw) {
        List<String> out = new ArrayList<>(3);
        int[] start = {0, 2, 3};
        for (int i = 0; i < 3; i++) {
            byte[] shifted = new byte[raw.length + i];
            System.arraycopy(raw, 0, shifted, i, raw.length);
            String enc = Base64.getEncoder().encodeToString(shifted);
            int tail = (raw.length + i) % 3;
            int cut = tail == 0 ? 0 : tail == 1 ? 3 : 2;
            out.add(escape(enc.substring(start[i], Math.max(start[i], enc.length() - cut))));
        }
        return out;
    }

    /** Base64 text may hold no wildcard characters, but escape them anyway for the wildcard compiler. */
    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?");
    }
}
