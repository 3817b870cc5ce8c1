package dev.mamori.detectors.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Keyword searches: a value anywhere in the event (any field contains it, wildcards allowed). */
final class Keywords {

    private Keywords() {}

    static Match of(List<String> keywords) {
        List<Predicate<String>> tests = new ArrayList<>();
        for (String k : keywords) {
            tests.add(Wildcards.compile(k, true, true, false));
        }
        return e -> {
            for (String v : e.values()) {
                if (v == null) {
                    continue;
                }
                for (Predicate<String> t : tests) {
                    if (t.test(v)) {
                        return true;
                    }
                }
            }
            return false;
        };
    }
}
