package dev.mamori.sensor.review;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's charts as inline SVG: readable without JavaScript, printed as they are shown, and
 * sized by a {@code viewBox} so they scale with the page. Labels are escaped.
 */
final class SvgCharts {

    static final String ALLOWED = "#4c8bd6";
    static final String DENIED = "#d64c4c";
    static final String NEUTRAL = "#5b9b6b";

    private SvgCharts() {}

    /** 24 stacked columns, one per hour: {@code lower} below, {@code upper} (may be null) on top. */
    static String hours(String title, long[] lower, String lowerColour, long[] upper, String upperColour) {
        int w = 720;
        int h = 200;
        int left = 48;
        int bottom = 24;
        int top = 10;
        long max = 1;
        for (int i = 0; i < 24; i++) {
            max = Math.max(max, lower[i] + (upper == null ? 0 : upper[i]));
        }
        double slot = (w - left - 8) / 24.0;
        double scale = (h - bottom - top) / (double) max;
        StringBuilder b = open(title, w, h);
        for (int g = 0; g <= 4; g++) {
            double y = h - bottom - (h - bottom - top) * g / 4.0;
            b.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>",
                    left,
                    w - 8,
                    y,
                    y));
            b.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" class=\"axis\" text-anchor=\"end\">%s</text>",
                    left - 6,
                    y + 4,
                    Html.number(Math.round(max * g / 4.0))));
        }
        for (int i = 0; i < 24; i++) {
            double x = left + i * slot + slot * 0.15;
            double bw = slot * 0.7;
            double lh = lower[i] * scale;
            double y = h - bottom - lh;
            b.append(rect(x, y, bw, lh, lowerColour, i + ":00 " + Html.number(lower[i])));
            if (upper != null && upper[i] > 0) {
                double uh = upper[i] * scale;
                b.append(rect(x, y - uh, bw, uh, upperColour, i + ":00 " + Html.number(upper[i])));
            }
            if (i % 3 == 0) {
                b.append(String.format(
                        Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">%02d</text>",
                        x + bw / 2,
                        h - 6,
                        i));
            }
        }
        return b.append("</svg>").toString();
    }

    /**
     * Horizontal bars, one per row, in the order given; {@code bytes} words values as sizes.
     * {@code w} is the drawing's width in its own units: smaller for a half-width column, so the
     * text keeps its size when the browser scales the drawing down.
     */
    static String bars(String title, List<Map.Entry<String, Long>> rows, String colour, boolean bytes, int w) {
        int rowHeight = 22;
        int labelWidth = w * 3 / 8;
        int h = Math.max(1, rows.size()) * rowHeight + 6;
        long max = 1;
        for (Map.Entry<String, Long> r : rows) {
            max = Math.max(max, r.getValue());
        }
        StringBuilder b = open(title, w, h);
        for (int i = 0; i < rows.size(); i++) {
            Map.Entry<String, Long> r = rows.get(i);
            double y = 4 + i * rowHeight;
            double bw = (w - labelWidth - 80) * (r.getValue() / (double) max);
            int fit = labelWidth / 7;
            String label = r.getKey().length() > fit ? r.getKey().substring(0, fit - 1) + "…" : r.getKey();
            b.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" class=\"label\" text-anchor=\"end\">%s</text>",
                    labelWidth - 8,
                    y + 14,
                    Html.escape(label)));
            b.append(rect(labelWidth, y + 2, Math.max(bw, 1), rowHeight - 6, colour, r.getKey()));
            b.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%.1f\" class=\"value\">%s</text>",
                    labelWidth + Math.max(bw, 1) + 6,
                    y + 14,
                    bytes ? Html.bytes(r.getValue()) : Html.number(r.getValue())));
        }
        return b.append("</svg>").toString();
    }

    /** Two bars per row side by side in one line (successes and failures of an account). */
    static String pairs(String title, List<String> labels, long[] first, long[] second, String c1, String c2) {
        int rowHeight = 22;
        int w = 720;
        int labelWidth = 200;
        int h = Math.max(1, labels.size()) * rowHeight + 6;
        long max = 1;
        for (int i = 0; i < labels.size(); i++) {
            max = Math.max(max, first[i] + second[i]);
        }
        StringBuilder b = open(title, w, h);
        double span = w - labelWidth - 110;
        for (int i = 0; i < labels.size(); i++) {
            double y = 4 + i * rowHeight;
            double w1 = span * first[i] / max;
            double w2 = span * second[i] / max;
            b.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" class=\"label\" text-anchor=\"end\">%s</text>",
                    labelWidth - 8,
                    y + 14,
                    Html.escape(labels.get(i))));
            b.append(rect(labelWidth, y + 2, w1, rowHeight - 6, c1, labels.get(i) + " " + first[i]));
            b.append(rect(labelWidth + w1, y + 2, w2, rowHeight - 6, c2, labels.get(i) + " " + second[i]));
            b.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%.1f\" class=\"value\">%s / %s</text>",
                    labelWidth + w1 + w2 + 6,
                    y + 14,
                    Html.number(first[i]),
                    Html.number(second[i])));
        }
        return b.append("</svg>").toString();
    }

    /** An SVG drawing of {@code w} by {@code h} units, titled for screen readers and tooltips. */
    private static StringBuilder open(String title, int w, int h) {
        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"chart\" viewBox=\"0 0 ").append(w).append(' ').append(h);
        b.append("\" role=\"img\" aria-label=\"").append(Html.escape(title)).append("\">");
        return b.append("<title>").append(Html.escape(title)).append("</title>");
    }

    private static String rect(double x, double y, double w, double h, String colour, String tip) {
        if (w <= 0 || h <= 0) {
            return "";
        }
        return String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" rx=\"2\"><title>%s</title></rect>",
                x,
                y,
                w,
                h,
                colour,
                Html.escape(tip));
    }
}
