package dev.mamori.detectors.sigma;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Rules shown the same events through the same view, with a literal prefilter: each rule's
 * {@link Need} is a few alternatives, each a set of literals one of which a match needs. All the
 * literals go into one {@link AhoCorasick} automaton per field, so one pass over each field an event
 * holds tells which alternatives are met; a rule is evaluated only when every one of its
 * alternatives is (or when its need is not known). Alerts keep the rules' order. Immutable;
 * thread-safe.
 */
final class RuleGroup {

    private record Scanner(String field, int slot, AhoCorasick automaton, int[][] alternativesByPattern) {}

    private final SigmaRule[] rules;
    /** Per rule, the indexes of its alternatives; empty when its need is not known. */
    private final int[][] alternatives;

    private final int alternativeCount;
    private final Scanner[] scanners;

    /** @param prefilter false to evaluate every rule on every event (the reference the prefilter is checked against) */
    RuleGroup(List<SigmaRule> rules, boolean prefilter) {
        this.rules = rules.toArray(SigmaRule[]::new);
        this.alternatives = new int[this.rules.length][];
        // field -> literal -> alternatives it meets
        Map<String, Map<String, List<Integer>>> byField = new LinkedHashMap<>();
        int next = 0;
        for (int i = 0; i < this.rules.length; i++) {
            List<Set<Need.Literal>> alts =
                    prefilter ? this.rules[i].detection().need().alternatives() : List.of();
            alternatives[i] = new int[alts.size()];
            for (int a = 0; a < alts.size(); a++) {
                int index = next++;
                alternatives[i][a] = index;
                for (Need.Literal l : alts.get(a)) {
                    byField.computeIfAbsent(l.field(), f -> new LinkedHashMap<>())
                            .computeIfAbsent(l.text(), t -> new ArrayList<>())
                            .add(index);
                }
            }
        }
        this.alternativeCount = next;
        List<Scanner> s = new ArrayList<>();
        byField.forEach((field, literals) -> {
            List<String> patterns = new ArrayList<>(literals.keySet());
            int[][] byPattern = new int[patterns.size()][];
            for (int p = 0; p < patterns.size(); p++) {
                byPattern[p] = literals.get(patterns.get(p)).stream()
                        .mapToInt(Integer::intValue)
                        .distinct()
                        .toArray();
            }
            s.add(new Scanner(field, FieldSlots.of(field), new AhoCorasick(patterns), byPattern));
        });
        this.scanners = s.toArray(Scanner[]::new);
    }

    int size() {
        return rules.length;
    }

    /**
     * Evaluates the rules that can match {@code view}; {@code matched} is called for each match,
     * {@code failed} for a rule whose evaluation threw (a bug, which must not keep the event from
     * the other rules).
     */
    void evaluate(SigmaEvent view, Consumer<SigmaRule> matched, Runnable failed) {
        boolean[] met = new boolean[alternativeCount];
        for (Scanner s : scanners) {
            String v = view.field(s.slot(), s.field());
            if (v != null) {
                int[][] byPattern = s.alternativesByPattern();
                s.automaton().scan(v, p -> {
                    for (int a : byPattern[p]) {
                        met[a] = true;
                    }
                });
            }
        }
        for (int i = 0; i < rules.length; i++) {
            if (!allMet(alternatives[i], met)) {
                continue;
            }
            boolean m;
            try {
                m = rules[i].matches(view);
            } catch (RuntimeException bug) {
                failed.run();
                continue;
            }
            if (m) {
                matched.accept(rules[i]);
            }
        }
    }

    private static boolean allMet(int[] alternatives, boolean[] met) {
        for (int a : alternatives) {
            if (!met[a]) {
                return false;
            }
        }
        return true;
    }
}
