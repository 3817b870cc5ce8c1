package dev.mamori.detectors.firewall;

import static dev.mamori.detectors.firewall.FirewallFixtures.ALERTS;
import static dev.mamori.detectors.firewall.FirewallFixtures.CLOCK;
import static dev.mamori.detectors.firewall.FirewallFixtures.SITE;
import static dev.mamori.detectors.firewall.FirewallFixtures.T0;
import static dev.mamori.detectors.firewall.FirewallFixtures.event;
import static dev.mamori.detectors.firewall.FirewallFixtures.zoned;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.site.IpSet;
import dev.mamori.detectors.state.TimeBasis;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FwConnectBackTest {

    private final FwConnectBack detection = new FwConnectBack(
            SITE,
            new FwConnectBack.Settings(
                    Set.of(25, 80, 443, 8080), IpSet.of(List.of("203.0.113.0/24")), Duration.ofMinutes(5), 1000),
            ALERTS,
            TimeBasis.EVENT,
            CLOCK,
            ObserverInput.SYSLOG);
    private final FirewallFixtures.Sink sink = new FirewallFixtures.Sink();

    @Test
    void deniedOutboundToAWebPortIsHigh() {
        detection.inspect(event(FirewallAction.DENY, "10.1.2.3", "198.51.100.7", 443, T0), sink);
        Alert a = sink.alerts.get(0);
        assertThat(sink.alerts).hasSize(1);
        assertThat(a.ruleId()).isEqualTo("fw.connect_back");
        assertThat(a.severity()).isEqualTo(Severity.HIGH);
        assertThat(a.field(AlertField.SOURCE_IP)).isEqualTo("10.1.2.3");
        assertThat(a.field(AlertField.DESTINATION_PORT)).isEqualTo(443L);
        assertThat(a.field(AlertField.EVENT_COUNT)).isEqualTo(1L);
        assertThat(a.message())
                .isEqualTo("Internal host 10.1.2.3 tried to reach external 198.51.100.7:443 and was"
                        + " denied (1 attempts)");
        assertThat(a.recommendation()).isNotBlank();
    }

    @Test
    void droppedOrRejectedToAnotherPortIsMedium() {
        detection.inspect(event(FirewallAction.DROP, "192.168.1.5", "198.51.100.7", 4444, T0), sink);
        detection.inspect(event(FirewallAction.REJECT, "172.16.0.9", "198.51.100.7", 6667, T0), sink);
        assertThat(sink.alerts).extracting(Alert::severity).containsExactly(Severity.MEDIUM, Severity.MEDIUM);
    }

    @Test
    void whatMustNotAlert() {
        detection.inspect(event(FirewallAction.DENY, "10.1.2.3", "10.9.9.9", 445, T0), sink); // internal
        detection.inspect(event(FirewallAction.ALLOW, "10.1.2.3", "198.51.100.7", 443, T0), sink); // allowed web
        detection.inspect(event(FirewallAction.DENY, "198.51.100.7", "10.1.2.3", 3389, T0), sink); // inbound
        detection.inspect(event(FirewallAction.DENY, "198.51.100.7", "198.51.100.8", 80, T0), sink); // transit
        detection.inspect(event(FirewallAction.DENY, "10.1.2.3", "203.0.113.9", 443, T0), sink); // allow-listed
        assertThat(sink.alerts).isEmpty();
    }

    @Test
    void externalZoneMakesADestinationOutsideWhateverItsAddress() {
        detection.inspect(zoned(FirewallAction.DENY, "10.1.2.3", "trust", "10.200.0.1", "untrust", 8080), sink);
        assertThat(sink.alerts)
                .singleElement()
                .satisfies(a -> assertThat(a.severity()).isEqualTo(Severity.HIGH));
        sink.alerts.clear();
        detection.inspect(zoned(FirewallAction.DENY, "10.1.2.4", "outside", "198.51.100.1", "dmz", 80), sink);
        assertThat(sink.alerts)
                .as("a source in an external zone is not internal")
                .isEmpty();
    }

    @Test
    void aBurstFoldsIntoOneAlertAndOneFollowUpWithTheCount() {
        for (int i = 0; i < 300; i++) {
            detection.inspect(
                    event(FirewallAction.DENY, "10.1.2.3", "198.51.100." + (i % 50), 443, T0.plusSeconds(i)), sink);
        }
        assertThat(sink.alerts).hasSize(1);
        detection.tick(T0.plusSeconds(299), sink);
        assertThat(sink.alerts).as("window still open").hasSize(1);
        detection.tick(T0.plus(Duration.ofMinutes(5)), sink);
        assertThat(sink.alerts).hasSize(2);
        Alert followUp = sink.alerts.get(1);
        assertThat(followUp.field(AlertField.EVENT_COUNT)).isEqualTo(299L);
        assertThat(followUp.field(AlertField.EVENT_START)).isEqualTo(T0.toString());
        assertThat(followUp.field(AlertField.EVENT_END))
                .isEqualTo(T0.plusSeconds(299).toString());
        assertThat(followUp.message()).endsWith("(299 attempts)");
    }

    @Test
    void aNewWindowAlertsAgainAndDifferentSeveritiesAreSeparate() {
        detection.inspect(event(FirewallAction.DENY, "10.1.2.3", "198.51.100.7", 443, T0), sink);
        detection.inspect(event(FirewallAction.DENY, "10.1.2.3", "198.51.100.7", 4444, T0), sink);
        detection.inspect(event(FirewallAction.DENY, "10.1.2.3", "198.51.100.7", 443, T0.plusSeconds(10)), sink);
        assertThat(sink.alerts).hasSize(2);
        detection.inspect(
                event(FirewallAction.DENY, "10.1.2.3", "198.51.100.7", 443, T0.plus(Duration.ofMinutes(6))), sink);
        // the old burst's follow-up (1 repeat) and the new window's first alert
        assertThat(sink.alerts).hasSize(4);
        Alert followUp = sink.alerts.get(2);
        assertThat(followUp.field(AlertField.EVENT_COUNT)).isEqualTo(1L);
        assertThat(followUp.field(AlertField.EVENT_START)).isEqualTo(T0.toString());
        assertThat(followUp.field(AlertField.EVENT_END))
                .isEqualTo(T0.plusSeconds(10).toString());
        Alert reopened = sink.alerts.get(3);
        assertThat(reopened.field(AlertField.EVENT_COUNT))
                .as("a new window's first alert stands for itself")
                .isEqualTo(1L);
        assertThat(reopened.field(AlertField.DESTINATION_PORT)).isEqualTo(443L);
        assertThat(reopened.timestamp()).isEqualTo(T0.plus(Duration.ofMinutes(6)));
        assertThat(reopened.field(AlertField.EVENT_START))
                .as("only follow-ups carry a span")
                .isNull();
    }

    @Test
    void drainFlushesHeldCounts() {
        detection.inspect(event(FirewallAction.DENY, "10.1.2.3", "198.51.100.7", 443, T0), sink);
        detection.inspect(event(FirewallAction.DENY, "10.1.2.3", "198.51.100.7", 443, T0.plusSeconds(1)), sink);
        detection.drain(sink);
        assertThat(sink.alerts).hasSize(2);
        assertThat(detection.trackedSources()).isZero();
    }
}
