package dev.mamori.detectors.sigma;

import java.util.List;

/**
 * A compiled part of a rule's detection: a search identifier, a field condition, or a condition;
 * with what it {@linkplain Need needs} of an event for the prefilter (nothing known, by default).
 */
@FunctionalInterface
interface Match {

    boolean test(SigmaEvent e);

    default Need need() {
        return Need.ANY;
    }

    /** {@code m}, known to need {@code need}. */
    static Match needing(Need need, Match m) {
        return need.known() ? new Needing(m, need) : m;
    }

    record Needing(Match inner, Need need) implements Match {
        @Override
        public boolean test(SigmaEvent e) {
            return inner.test(e);
        }
    }

    static Match and(List<Match> parts) {
        Match[] a = parts.toArray(Match[]::new);
        Match all = e -> {
            for (Match m : a) {
                if (!m.test(e)) {
                    return false;
                }
            }
            return true;
        };
        return needing(Need.and(parts.stream().map(Match::need).toList()), all);
    }

    static Match or(List<Match> parts) {
        Match[] a = parts.toArray(Match[]::new);
        Match any = e -> {
            for (Match m : a) {
                if (m.test(e)) {
                    return true;
                }
            }
            return false;
        };
        return needing(Need.or(parts.stream().map(Match::need).toList()), any);
    }
}
