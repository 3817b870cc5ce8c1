package dev.mamori.sensor.config;

import java.time.Duration;

/** Parses durations as operators write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 2d}. */
public final class Durations {
    private Durations() {}

    /** @throws IllegalArgumentException with a message fit for a config error */
    public static Duration parse(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        Duration total = Duration.ZERO;
        int i = 0;
        while (i < t.length()) {
            int numStart = i;
            while (i < t.length() && Character.isDigit(t.charAt(i))) {
                i++;
            }
            if (i == numStart) {
                throw invalid(text);
            }
            long n;
            try {
                n = Long.parseLong(t, numStart, i, 10);
            } catch (NumberFormatException e) {
                throw invalid(text);
            }
            int unitStart = i;
            while (i < t.length() && Character.isLetter(t.charAt(i))) {
                i++;
            }
            String unit = t.substring(unitStart, i);
            try {
                total = total.plus(
                        switch (unit) {
                            case "ms" -> Duration.ofMillis(n);
                            case "s" -> Duration.ofSeconds(n);
                            case "m" -> Duration.ofMinutes(n);
                            case "h" -> Duration.ofHours(n);
                            case "d" -> Duration.ofDays(n);
                            default -> throw invalid(text);
                        });
            } catch (ArithmeticException e) {
                throw invalid(text);
            }
        }
        return total;
    }

    /** The shortest form {@link #parse} reads back, e.g. {@code 1h30m}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        long ms = d.toMillis();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
        String[] units = {"d", "h", "m", "s", "ms"};
        for (int k = 0; k < sizes.length; k++) {
            if (ms >= sizes[k]) {
                b.append(ms / sizes[k]).append(units[k]);
                ms %= sizes[k];
            }
        }
        return b.toString();
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("not a duration: '" + text + "' (examples: 500ms, 30s, 5m, 1h, 2d)");
    }
}
