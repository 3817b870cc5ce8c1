package dev.mamori.detectors.sigma;

/** A compiled part of a rule's detection: a search identifier, a field condition, or a condition. */
@FunctionalInterface
interface Match {

    boolean test(SigmaEvent e);

    static Match and(java.util.List<Match> parts) {
        Match[] a = parts.toArray(Match[]::new);
        return e -> {
            for (Match m : a) {
                if (!m.test(e)) {
                    return false;
                }
            }
            return true;
        };
    }

    static Match or(java.util.List<Match> parts) {
        Match[] a = parts.toArray(Match[]::new);
        return e -> {
            for (Match m : a) {
                if (m.test(e)) {
                    return true;
                }
            }
            return false;
        };
    }
}
