package dev.mamori.detectors.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A detection's condition: {@code and}, {@code or}, {@code not}, parentheses, {@code 1 of} /
 * {@code all of} a name pattern ({@code selection_*}) or {@code them}, over the search
 * identifiers. Precedence: not, then and, then or. The old aggregation syntax ({@code | count()})
 * is refused: Sigma now writes it as a correlation rule.
 */
final class Conditions {

    private final List<String> tokens;
    private final Map<String, Match> searches;
    private int at;

    private Conditions(List<String> tokens, Map<String, Match> searches) {
        this.tokens = tokens;
        this.searches = searches;
    }

    static Match compile(String condition, Map<String, Match> searches) throws SigmaException {
        if (condition.contains("|")) {
            throw new SigmaException("aggregation in the condition ('" + condition.strip()
                    + "'): not supported, Sigma writes it as a correlation rule");
        }
        Conditions c = new Conditions(tokenize(condition), searches);
        Match m = c.or();
        if (c.at != c.tokens.size()) {
            throw new SigmaException("condition: unexpected '" + c.tokens.get(c.at) + "' in '" + condition + "'");
        }
        return m;
    }

    /**
     * The search identifiers every match needs, for a condition of the simple shape
     * {@code a and b and not c} (no or, of or parentheses); empty otherwise (nothing is known).
     */
    static List<String> required(String condition) {
        List<String> tokens = tokenize(condition);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i).toLowerCase(Locale.ROOT);
            if (t.equals("or") || t.equals("of") || t.equals("(") || t.equals(")") || t.contains("|")) {
                return List.of();
            }
            if (!t.equals("and")
                    && !t.equals("not")
                    && (i == 0 || !tokens.get(i - 1).equalsIgnoreCase("not"))) {
                out.add(tokens.get(i));
            }
        }
        return out;
    }

    private static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder t = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '(' || c == ')' || Character.isWhitespace(c)) {
                if (t.length() > 0) {
                    out.add(t.toString());
                    t.setLength(0);
                }
                if (c != ' ' && !Character.isWhitespace(c)) {
                    out.add(String.valueOf(c));
                }
            } else {
                t.append(c);
            }
        }
        if (t.length() > 0) {
            out.add(t.toString());
        }
        return out;
    }

    private String peek() {
        return at < tokens.size() ? tokens.get(at).toLowerCase(Locale.ROOT) : null;
    }

    private Match or() throws SigmaException {
        List<Match> parts = new ArrayList<>(List.of(and()));
        while ("or".equals(peek())) {
            at++;
            parts.add(and());
        }
        return parts.size() == 1 ? parts.get(0) : Match.or(parts);
    }

    private Match and() throws SigmaException {
        List<Match> parts = new ArrayList<>(List.of(not()));
        while ("and".equals(peek())) {
            at++;
            parts.add(not());
        }
        return parts.size() == 1 ? parts.get(0) : Match.and(parts);
    }

    private Match not() throws SigmaException {
        if ("not".equals(peek())) {
            at++;
            Match inner = not();
            return e -> !inner.test(e);
        }
        return primary();
    }

    private Match primary() throws SigmaException {
        String t = peek();
        if (t == null) {
            throw new SigmaException("condition ends too early");
        }
        if (t.equals("(")) {
            at++;
            Match m = or();
            if (!")".equals(peek())) {
                throw new SigmaException("condition: missing ')'");
            }
            at++;
            return m;
        }
        if ((t.equals("1") || t.equals("all") || t.equals("any"))
                && at + 1 < tokens.size()
                && tokens.get(at + 1).equalsIgnoreCase("of")) {
            at += 2;
            if (at >= tokens.size()) {
                throw new SigmaException("condition: '" + t + " of' without a name");
            }
            String target = tokens.get(at++);
            List<Match> chosen = new ArrayList<>();
            if (target.equalsIgnoreCase("them")) {
                searches.forEach((name, m) -> {
                    if (!name.startsWith("_")) {
                        chosen.add(m);
                    }
                });
            } else {
                // runs of * are one * (a pattern of many would backtrack for ever: found by fuzzing)
                String glob = target.replaceAll("\\*+", "*");
                Pattern p = Pattern.compile(
                        Pattern.quote(glob).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q"));
                searches.forEach((name, m) -> {
                    if (p.matcher(name).matches()) {
                        chosen.add(m);
                    }
                });
            }
            if (chosen.isEmpty()) {
                throw new SigmaException("condition: '" + target + "' names no search identifier");
            }
            return t.equals("all") ? Match.and(chosen) : Match.or(chosen);
        }
        Match m = searches.get(tokens.get(at));
        if (m == null) {
            throw new SigmaException("condition: unknown search identifier '" + tokens.get(at) + "'");
        }
        at++;
        return m;
    }
}
