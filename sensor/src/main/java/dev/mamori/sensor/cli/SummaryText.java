package dev.mamori.sensor.cli;

import dev.mamori.detectors.firewall.TrafficSummary;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The firewall periodic review as text for a terminal, oldest hour first. */
final class SummaryText {
    private SummaryText() {}

    static String firewall(List<TrafficSummary.Hour> newestFirst) {
        StringBuilder b = new StringBuilder();
        b.append("firewall summary (periodic review), per hour, UTC:\n");
        if (newestFirst.isEmpty()) {
            b.append("  no firewall events\n");
        }
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            TrafficSummary.Hour h = newestFirst.get(i);
            b.append("  ").append(h.start()).append("  ").append(h.total()).append(" event(s)\n");
            for (Map.Entry<String, Map<String, Long>> a :
                    h.byActionAndDirection().entrySet()) {
                b.append("    ")
                        .append(a.getKey())
                        .append(": ")
                        .append(a.getValue().entrySet().stream()
                                .map(e -> e.getKey() + " " + e.getValue())
                                .collect(Collectors.joining(", ")))
                        .append('\n');
            }
            table(b, "top sources", h.topSources());
            table(b, "top destinations", h.topDestinations());
            table(b, "top destination ports", h.topDestinationPorts());
            table(b, "refused outbound by port", h.refusedOutboundByPort());
        }
        return b.toString();
    }

    private static void table(StringBuilder b, String title, List<TrafficSummary.Count> rows) {
        if (rows.isEmpty()) {
            return;
        }
        b.append("    ")
                .append(title)
                .append(": ")
                .append(rows.stream().map(r -> r.key() + " " + r.count()).collect(Collectors.joining(", ")))
                .append('\n');
    }
}
