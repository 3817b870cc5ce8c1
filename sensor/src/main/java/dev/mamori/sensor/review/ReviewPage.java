package dev.mamori.sensor.review;

import dev.mamori.detectors.alert.Language;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The review as one HTML page: headline figures, then firewall, proxy, authentication and alerts,
 * each with an inline SVG chart and its tables. No script, no external resource: it renders the
 * same in a browser, a mail client or printed, and can be archived as one file.
 */
public final class ReviewPage {

    /** Which review the page is. */
    public enum Kind {
        DAILY("title.daily"),
        WEEKLY("title.weekly"),
        PERIOD("title.period");

        final String titleKey;

        Kind(String titleKey) {
            this.titleKey = titleKey;
        }
    }

    private static final int TOP = 15;
    /** Drawing widths of a chart across the page and in one of two columns. */
    private static final int FULL = 720;

    private static final int HALF = 420;
    /** Alerts listed on the page, the most severe first; the rest are counted. */
    private static final int LISTED_ALERTS = 100;

    /** Severity labels, least severe first. */
    private static final List<String> SEVERITIES = List.of("low", "medium", "high", "critical");

    private final Properties words;
    private final Language language;
    private final ZoneId zone;

    public ReviewPage(Language language, ZoneId zone) {
        this.language = language;
        this.zone = zone;
        this.words = load(language);
    }

    private static Properties load(Language language) {
        String name = "report_" + language.code() + ".properties";
        try (InputStream in = ReviewPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String w(String key, Object... args) {
        String t = words.getProperty(key, key);
        return args.length == 0 ? t : new MessageFormat(t.replace("'", "''"), Locale.ROOT).format(args);
    }

    /**
     * @param period how the period is named in the title ("2026-12-02", "2026-11-26 – 2026-12-02")
     * @param data the period's figures, or null when nothing was kept for it
     */
    public String render(Kind kind, String period, DayData data) {
        StringBuilder b = new StringBuilder(32_768);
        String title = w(kind.titleKey) + " " + period;
        b.append("<!DOCTYPE html>\n<html lang=\"")
                .append(language.code())
                .append("\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
                .append("<title>")
                .append(Html.escape(title))
                .append("</title><style>")
                .append(STYLE)
                .append("</style></head><body><main>");
        b.append("<header><h1>").append(Html.escape(title)).append("</h1><p class=\"sub\">");
        b.append(Html.escape(w("subtitle", period, zone.getId()))).append("</p></header>");
        if (data == null) {
            b.append("<p class=\"empty\">").append(Html.escape(w("nothing"))).append("</p>");
            return b.append("</main></body></html>\n").toString();
        }
        if (data.learning()) {
            b.append("<p class=\"note\">").append(Html.escape(w("learning"))).append("</p>");
        }
        cards(b, data);
        firewall(b, data);
        proxy(b, data);
        authentication(b, data);
        alerts(b, data);
        return b.append("</main></body></html>\n").toString();
    }

    private void cards(StringBuilder b, DayData d) {
        b.append("<section class=\"cards\">");
        card(b, "card.firewall", Html.number(d.firewallEvents()), false);
        card(b, "card.denied_outbound", Html.number(d.deniedOutbound()), d.deniedOutbound() > 0);
        card(b, "card.proxy", Html.number(d.proxyRequests()), false);
        card(b, "card.off_hours", Html.number(d.offHoursRequests()), d.offHoursRequests() > 0);
        card(b, "card.auth", Html.number(d.authentications()), false);
        card(b, "card.auth_failures", Html.number(d.authFailures()), d.authFailures() > 0);
        card(b, "card.alerts", Html.number(d.alertCount()), d.alertCount() > 0);
        b.append("</section>");
    }

    private void card(StringBuilder b, String key, String value, boolean attention) {
        b.append("<div class=\"card")
                .append(attention ? " attention" : "")
                .append("\"><div class=\"value\">")
                .append(value)
                .append("</div><div class=\"label\">")
                .append(Html.escape(w(key)))
                .append("</div></div>");
    }

    private void firewall(StringBuilder b, DayData d) {
        b.append("<section id=\"firewall\"><h2>")
                .append(Html.escape(w("section.firewall")))
                .append("</h2>");
        b.append("<h3>").append(Html.escape(w("chart.fw_by_hour"))).append("</h3>");
        legend(b, SvgCharts.ALLOWED, "legend.allowed", SvgCharts.DENIED, "legend.denied");
        b.append(SvgCharts.hours(
                w("chart.fw_by_hour"), d.allowedByHour(), SvgCharts.ALLOWED, d.deniedByHour(), SvgCharts.DENIED));
        b.append("<div class=\"two\"><div>");
        barTable(
                b,
                "table.denied_sources",
                "hint.denied_sources",
                d.deniedOutboundSources(),
                SvgCharts.DENIED,
                false,
                Set.of());
        b.append("</div><div>");
        barTable(
                b,
                "table.ports",
                "hint.ports",
                d.destinationPorts(),
                SvgCharts.ALLOWED,
                false,
                new HashSet<>(d.newDestinationPorts()));
        b.append("</div></div></section>");
    }

    private void proxy(StringBuilder b, DayData d) {
        b.append("<section id=\"proxy\"><h2>")
                .append(Html.escape(w("section.proxy")))
                .append("</h2>");
        b.append("<h3>").append(Html.escape(w("chart.proxy_by_hour"))).append("</h3>");
        b.append(SvgCharts.hours(w("chart.proxy_by_hour"), d.proxyByHour(), SvgCharts.NEUTRAL, null, null));
        b.append("<div class=\"two\"><div>");
        barTable(b, "table.destinations", null, d.proxyDestinations(), SvgCharts.NEUTRAL, false, Set.of());
        barTable(b, "table.connect_ports", "hint.connect_ports", d.connectPorts(), SvgCharts.NEUTRAL, false, Set.of());
        b.append("</div><div>");
        barTable(b, "table.off_hours", null, d.offHoursClients(), SvgCharts.DENIED, false, Set.of());
        barTable(b, "table.uploaders", null, d.uploadBytes(), SvgCharts.NEUTRAL, true, Set.of());
        b.append("</div></div>");
        b.append("<h3>").append(Html.escape(w("table.user_agents"))).append("</h3>");
        b.append("<p class=\"hint\">")
                .append(Html.escape(w("hint.user_agents")))
                .append("</p>");
        Set<String> fresh = new HashSet<>(d.newUserAgents());
        b.append("<table><tbody>");
        List<Map.Entry<String, Long>> agents = TopCounts.top(d.userAgents(), 25);
        for (Map.Entry<String, Long> e : agents) {
            b.append("<tr><td class=\"num\">").append(Html.number(e.getValue())).append("</td><td class=\"ua\">");
            b.append(Html.escape(e.getKey()));
            if (fresh.contains(e.getKey())) {
                b.append(" <span class=\"new\">").append(Html.escape(w("new"))).append("</span>");
            }
            b.append("</td></tr>");
        }
        if (agents.isEmpty()) {
            b.append("<tr><td>").append(Html.escape(w("none"))).append("</td></tr>");
        }
        b.append("</tbody></table></section>");
    }

    private void authentication(StringBuilder b, DayData d) {
        b.append("<section id=\"auth\"><h2>")
                .append(Html.escape(w("section.auth")))
                .append("</h2>");
        List<Map.Entry<String, DayData.AccountDay>> accounts =
                new ArrayList<>(d.accounts().entrySet());
        // failures first: a spray or a guessed password shows at the top
        accounts.sort(Comparator.<Map.Entry<String, DayData.AccountDay>>comparingLong(
                        e -> -e.getValue().failures())
                .thenComparingLong(
                        e -> -(e.getValue().successes() + e.getValue().offHours()))
                .thenComparing(Map.Entry::getKey));
        List<Map.Entry<String, DayData.AccountDay>> shown = accounts.subList(0, Math.min(25, accounts.size()));
        b.append("<h3>").append(Html.escape(w("chart.accounts"))).append("</h3>");
        if (shown.isEmpty()) {
            b.append("<p class=\"none\">").append(Html.escape(w("none"))).append("</p></section>");
            return;
        }
        legend(b, SvgCharts.NEUTRAL, "legend.success", SvgCharts.DENIED, "legend.failure");
        List<String> labels = new ArrayList<>();
        long[] ok = new long[shown.size()];
        long[] failed = new long[shown.size()];
        for (int i = 0; i < shown.size(); i++) {
            labels.add(shown.get(i).getKey());
            ok[i] = shown.get(i).getValue().successes();
            failed[i] = shown.get(i).getValue().failures();
        }
        b.append(SvgCharts.pairs(w("chart.accounts"), labels, ok, failed, SvgCharts.NEUTRAL, SvgCharts.DENIED));
        b.append("<table><thead><tr><th>")
                .append(Html.escape(w("col.account")))
                .append("</th><th class=\"num\">")
                .append(Html.escape(w("col.success")))
                .append("</th><th class=\"num\">")
                .append(Html.escape(w("col.failure")))
                .append("</th><th class=\"num\">")
                .append(Html.escape(w("col.off_hours")))
                .append("</th><th>")
                .append(Html.escape(w("col.hosts")))
                .append("</th></tr></thead><tbody>");
        for (Map.Entry<String, DayData.AccountDay> e : shown) {
            DayData.AccountDay a = e.getValue();
            b.append("<tr><td>").append(Html.escape(e.getKey())).append("</td>");
            b.append("<td class=\"num\">").append(Html.number(a.successes())).append("</td>");
            b.append("<td class=\"num")
                    .append(a.failures() > 0 ? " bad" : "")
                    .append("\">")
                    .append(Html.number(a.failures()))
                    .append("</td>");
            b.append("<td class=\"num")
                    .append(a.offHours() > 0 ? " bad" : "")
                    .append("\">")
                    .append(Html.number(a.offHours()))
                    .append("</td>");
            b.append("<td>").append(Html.escape(String.join(", ", a.hosts()))).append("</td></tr>");
        }
        b.append("</tbody></table>");
        more(b, accounts.size() - shown.size());
        b.append("</section>");
    }

    private void alerts(StringBuilder b, DayData d) {
        b.append("<section id=\"alerts\"><h2>")
                .append(Html.escape(w("section.alerts")))
                .append("</h2>");
        b.append("<p class=\"chips\">");
        for (String sev : List.of("critical", "high", "medium", "low")) {
            long n = d.alertsBySeverity().getOrDefault(sev, 0L);
            b.append("<span class=\"chip ")
                    .append(sev)
                    .append("\">")
                    .append(sev)
                    .append(" ")
                    .append(Html.number(n))
                    .append("</span>");
        }
        b.append("</p>");
        b.append("<h3>").append(Html.escape(w("chart.alerts_by_rule"))).append("</h3>");
        List<Map.Entry<String, Long>> rules = TopCounts.top(d.alertsByRule(), TOP);
        b.append(SvgCharts.bars(w("chart.alerts_by_rule"), rules, SvgCharts.DENIED, false, FULL));
        b.append("<h3>").append(Html.escape(w("table.alerts"))).append("</h3>");
        List<DayData.AlertLine> listed = new ArrayList<>(d.alerts());
        listed.sort(Comparator.comparingInt((DayData.AlertLine a) -> -SEVERITIES.indexOf(a.severity()))
                .thenComparingLong(DayData.AlertLine::time));
        listed = listed.subList(0, Math.min(LISTED_ALERTS, listed.size()));
        boolean incidents = listed.stream().anyMatch(a -> a.incident() != null);
        b.append("<table><thead><tr><th>")
                .append(Html.escape(w("col.time")))
                .append("</th><th>")
                .append(Html.escape(w("col.severity")))
                .append("</th><th>")
                .append(Html.escape(w("col.rule")))
                .append("</th><th>")
                .append(Html.escape(w("col.message")))
                .append(incidents ? "</th><th>" + Html.escape(w("col.incident")) : "")
                .append("</th></tr></thead><tbody>");
        DateTimeFormatter time = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(zone);
        for (DayData.AlertLine a : listed) {
            b.append("<tr><td class=\"nowrap\">")
                    .append(time.format(Instant.ofEpochMilli(a.time())))
                    .append("</td><td><span class=\"chip ")
                    .append(Html.escape(a.severity()))
                    .append("\">")
                    .append(Html.escape(a.severity()))
                    .append("</span></td><td class=\"nowrap\">")
                    .append(Html.escape(a.rule()))
                    .append("</td><td>")
                    .append(Html.escape(a.message()));
            if (incidents) {
                b.append("</td><td class=\"nowrap\">").append(Html.escape(a.incident() == null ? "" : a.incident()));
            }
            b.append("</td></tr>");
        }
        b.append("</tbody></table>");
        more(b, d.alertCount() - listed.size());
        b.append("</section>");
    }

    private void barTable(
            StringBuilder b,
            String titleKey,
            String hintKey,
            Map<String, Long> counts,
            String colour,
            boolean bytes,
            Set<String> fresh) {
        b.append("<h3>").append(Html.escape(w(titleKey))).append("</h3>");
        if (hintKey != null) {
            b.append("<p class=\"hint\">").append(Html.escape(w(hintKey))).append("</p>");
        }
        List<Map.Entry<String, Long>> rows = TopCounts.top(counts, TOP);
        if (rows.isEmpty()) {
            b.append("<p class=\"none\">").append(Html.escape(w("none"))).append("</p>");
            return;
        }
        List<Map.Entry<String, Long>> labelled = new ArrayList<>();
        for (Map.Entry<String, Long> r : rows) {
            String label = fresh.contains(r.getKey()) ? r.getKey() + " (" + w("new") + ")" : r.getKey();
            labelled.add(Map.entry(label, r.getValue()));
        }
        b.append(SvgCharts.bars(w(titleKey), labelled, colour, bytes, HALF));
    }

    private void legend(StringBuilder b, String c1, String k1, String c2, String k2) {
        b.append("<p class=\"legend\"><span class=\"swatch\" style=\"background:")
                .append(c1)
                .append("\"></span>")
                .append(Html.escape(w(k1)))
                .append(" <span class=\"swatch\" style=\"background:")
                .append(c2)
                .append("\"></span>")
                .append(Html.escape(w(k2)))
                .append("</p>");
    }

    private void more(StringBuilder b, long n) {
        if (n > 0) {
            b.append("<p class=\"more\">")
                    .append(Html.escape(w("more", Html.number(n))))
                    .append("</p>");
        }
    }

    private static final String STYLE = """
            body{margin:0;background:#f4f5f7;color:#1d2330;font:14px/1.5 system-ui,-apple-system,"Segoe UI",\
            "Hiragino Sans","Noto Sans CJK JP",sans-serif}
            main{max-width:1100px;margin:0 auto;padding:24px}
            header h1{margin:0;font-size:26px}.sub{margin:2px 0 18px;color:#5a6275}
            section{background:#fff;border-radius:8px;padding:16px 20px;margin:0 0 18px;box-shadow:0 1px 2px #0002}
            h2{margin:0 0 8px;font-size:19px;border-bottom:2px solid #e3e6ec;padding-bottom:6px}
            h3{margin:16px 0 4px;font-size:15px}
            .cards{display:flex;flex-wrap:wrap;gap:10px;background:none;box-shadow:none;padding:0}
            .card{flex:1 1 130px;background:#fff;border-radius:8px;padding:12px 14px;box-shadow:0 1px 2px #0002}
            .card .value{font-size:24px;font-weight:600}.card .label{color:#5a6275;font-size:12px}
            .card.attention{border-left:4px solid #d64c4c}
            .two{display:grid;grid-template-columns:1fr 1fr;gap:18px}
            @media (max-width:800px){.two{grid-template-columns:1fr}}
            .chart{width:100%;height:auto;display:block}
            .chart .grid{stroke:#e3e6ec}.chart .axis{font-size:11px;fill:#5a6275}
            .chart .label{font-size:12px;fill:#1d2330}.chart .value{font-size:11px;fill:#5a6275}
            table{border-collapse:collapse;width:100%;font-size:13px}
            th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #eceef2;vertical-align:top}
            th{color:#5a6275;font-weight:600}.num{text-align:right}.bad{color:#b52b2b;font-weight:600}
            .ua{word-break:break-all}.nowrap{white-space:nowrap}
            .hint,.more,.none{color:#5a6275;font-size:12px;margin:2px 0 6px}
            .note{background:#fff8e1;border-left:4px solid #e0b000;padding:8px 12px}
            .new{background:#d64c4c;color:#fff;border-radius:3px;padding:0 4px;font-size:11px}
            .legend{font-size:12px;color:#5a6275;margin:0}.swatch{display:inline-block;width:10px;height:10px;\
            margin:0 4px 0 8px;border-radius:2px}
            .chip{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;color:#fff;background:#8a93a6;\
            margin-right:6px}
            .chip.critical{background:#7d1f9e}.chip.high{background:#d64c4c}.chip.medium{background:#e08a00}\
            .chip.low{background:#4c8bd6}
            """;
}
