package dev.mamori.detectors.firewall;

import static dev.mamori.detectors.firewall.FirewallFixtures.SITE;
import static dev.mamori.detectors.firewall.FirewallFixtures.T0;
import static dev.mamori.detectors.firewall.FirewallFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficSummaryTest {

    private void add(TrafficSummary s, FirewallEvent e) {
        s.add(e, Direction.of(SITE, e), e.time());
    }

    @Test
    void countsPerHourByActionDirectionAndTopTables() {
        TrafficSummary s = new TrafficSummary(24, 1000);
        for (int i = 0; i < 5; i++) {
            add(s, event(FirewallAction.DENY, "10.1.2.3", "198.51.100.7", 443, T0.plusSeconds(i)));
        }
        add(s, event(FirewallAction.DENY, "10.1.2.4", "198.51.100.8", 25, T0));
        add(s, event(FirewallAction.ALLOW, "10.1.2.4", "198.51.100.8", 443, T0));
        add(s, event(FirewallAction.DENY, "198.51.100.9", "10.1.2.3", 3389, T0));
        add(s, event(FirewallAction.ALLOW, "10.1.2.3", "10.1.2.4", 445, T0.plus(Duration.ofHours(1))));

        List<TrafficSummary.Hour> hours = s.recent(10, 3);
        assertThat(hours).hasSize(2);
        TrafficSummary.Hour older = hours.get(1);
        assertThat(older.start()).isEqualTo(T0);
        assertThat(older.total()).isEqualTo(8);
        assertThat(older.byActionAndDirection().get("deny"))
                .containsEntry("outbound", 6L)
                .containsEntry("inbound", 1L);
        assertThat(older.byActionAndDirection().get("allow")).containsEntry("outbound", 1L);
        assertThat(older.topSources().get(0)).isEqualTo(new TrafficSummary.Count("10.1.2.3", 5));
        assertThat(older.refusedOutboundByPort())
                .containsExactly(new TrafficSummary.Count("443/tcp", 5), new TrafficSummary.Count("25/tcp", 1));
        assertThat(hours.get(0).byActionAndDirection().get("allow")).containsEntry("internal", 1L);
    }

    @Test
    void boundedTablesAndHours() {
        TrafficSummary s = new TrafficSummary(2, 3);
        for (int i = 0; i < 10; i++) {
            add(s, event(FirewallAction.ALLOW, "10.0.0." + i, "198.51.100.1", 443, T0.plus(Duration.ofHours(i % 2))));
        }
        add(s, event(FirewallAction.ALLOW, "10.0.0.1", "198.51.100.1", 443, T0.plus(Duration.ofHours(2))));
        List<TrafficSummary.Hour> hours = s.recent(10, 10);
        assertThat(hours)
                .extracting(TrafficSummary.Hour::start)
                .containsExactly(T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(1)));
        assertThat(hours.get(1).topSources())
                .hasSize(4)
                .extracting(TrafficSummary.Count::key)
                .contains(TrafficSummary.OTHER);
        assertThat(hours.get(1).total()).isEqualTo(5);
    }
}
