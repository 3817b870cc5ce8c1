package dev.mamori.sensor.config;

import java.util.Locale;

/**
 * Parses byte sizes: a plain number of bytes, or a number with a unit: {@code B}, decimal
 * {@code KB MB GB TB} (powers of 1000) or binary {@code KiB MiB GiB TiB} (powers of 1024).
 */
public final class Sizes {
    private Sizes() {}

    /** @throws IllegalArgumentException with a message fit for a config error */
    public static long parse(String text) {
        String t = text.strip();
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw invalid(text);
        }
        String unit = t.substring(i).strip();
        long factor = switch (unit.toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1L;
            case "kb" -> 1000L;
            case "mb" -> 1000L * 1000;
            case "gb" -> 1000L * 1000 * 1000;
            case "tb" -> 1000L * 1000 * 1000 * 1000;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "tib" -> 1L << 40;
            default -> throw invalid(text);
        };
        try {
            return Math.multiplyExact(Long.parseLong(t, 0, i, 10), factor);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("size too large: '" + text + "'");
        }
    }

    /** A compact form {@link #parse} reads back, binary units where exact. */
    public static String format(long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        int[] shifts = {40, 30, 20, 10};
        for (int k = 0; k < units.length; k++) {
            long unit = 1L << shifts[k];
            if (bytes >= unit && bytes % unit == 0) {
                return (bytes / unit) + units[k];
            }
        }
        return Long.toString(bytes);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("not a size: '" + text + "' (examples: 65536, 64KiB, 100MiB, 1GB)");
    }
}
