package dev.mamori.detectors.sigma;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a compiled match needs of an event, for the literal prefilter: alternatives, each a set of
 * literals one of which must occur for the match to hold (the field's value, {@linkplain Fold
 * folded}, contains the literal). Every alternative is a necessary condition on
 * its own, so the prefilter evaluates a rule only when all of them are met; no alternative
 * means nothing is known ({@link #ANY}). Worked out when a rule is compiled, from the literal parts
 * of its values.
 *
 * @param alternatives each a set of literals of which one must occur; empty when nothing is known
 */
record Need(List<Set<Literal>> alternatives) {

    /** A field, spelled as the rule spells it (so it is read as the rule reads it), and a folded literal. */
    record Literal(String field, String text) {}

    static final Need ANY = new Need(List.of());

    /** Alternatives kept per match: enough for the prefilter to choose, few enough to combine. */
    private static final int KEPT = 6;

    static Need of(String field, String literal) {
        return literal == null || literal.isEmpty() ? ANY : new Need(List.of(Set.of(new Literal(field, literal))));
    }

    boolean known() {
        return !alternatives.isEmpty();
    }

    /** Every part must hold: each part's alternatives are alternatives of the whole. */
    static Need and(List<Need> parts) {
        List<Set<Literal>> all = new ArrayList<>();
        for (Need n : parts) {
            all.addAll(n.alternatives);
        }
        return best(all);
    }

    /** One part must hold: an alternative of the whole joins one alternative of every part. */
    static Need or(List<Need> parts) {
        List<Set<Literal>> joined = List.of(Set.of());
        for (Need n : parts) {
            if (!n.known()) {
                return ANY;
            }
            List<Set<Literal>> next = new ArrayList<>();
            for (Set<Literal> a : joined) {
                for (Set<Literal> b : n.alternatives) {
                    Set<Literal> u = new HashSet<>(a);
                    u.addAll(b);
                    next.add(Set.copyOf(u));
                }
            }
            joined = best(next).alternatives;
        }
        return best(joined);
    }

    /** The most selective alternatives, at most {@link #KEPT}. */
    private static Need best(List<Set<Literal>> alternatives) {
        if (alternatives.isEmpty()) {
            return ANY;
        }
        return new Need(alternatives.stream()
                .distinct()
                .sorted(Comparator.comparingInt(Need::shortest).reversed().thenComparingInt(Set::size))
                .limit(KEPT)
                .toList());
    }

    /** Longer literals occur in fewer events; past a few characters, length says little more. */
    private static int shortest(Set<Literal> alternative) {
        int min = Integer.MAX_VALUE;
        for (Literal l : alternative) {
            min = Math.min(min, l.text().length());
        }
        return Math.min(min, 8);
    }
}
