package dev.mamori.detectors.firewall;

import static dev.mamori.detectors.firewall.FirewallFixtures.ALERTS;
import static dev.mamori.detectors.firewall.FirewallFixtures.CLOCK;
import static dev.mamori.detectors.firewall.FirewallFixtures.T0;
import static dev.mamori.detectors.firewall.FirewallFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.site.IpSet;
import dev.mamori.detectors.site.SiteProfile;
import dev.mamori.detectors.state.TimeBasis;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FwLateralAdminTest {

    private static final SiteProfile SITE = new SiteProfile(
            FirewallFixtures.SITE.internalNetworks(),
            FirewallFixtures.SITE.externalZones(),
            FirewallFixtures.SITE.timezone(),
            FirewallFixtures.SITE.businessHours(),
            List.of(),
            Set.of(),
            FirewallFixtures.SITE.language(),
            SiteProfile.DEFAULT_PRIVILEGED_GROUPS,
            IpSet.of(List.of("10.20.0.0/16", "10.21.0.0/16")),
            IpSet.of(List.of("10.20.99.0/24")));

    private final FirewallFixtures.Sink sink = new FirewallFixtures.Sink();
    private final FwLateralAdmin detection = new FwLateralAdmin(
            SITE,
            Set.of(135, 445, 3389, 5985, 5986),
            Duration.ofMinutes(5),
            1000,
            ALERTS,
            TimeBasis.EVENT,
            CLOCK,
            ObserverInput.SYSLOG);

    @Test
    void workstationToWorkstationOnAnAdminPortAlertsAndFolds() {
        detection.inspect(event(FirewallAction.ALLOW, "10.20.1.5", "10.21.3.9", 445, T0), sink);
        for (int i = 1; i <= 20; i++) {
            detection.inspect(event(FirewallAction.ALLOW, "10.20.1.5", "10.21.3.9", 445, T0.plusSeconds(i)), sink);
        }
        detection.inspect(event(FirewallAction.DENY, "10.20.1.5", "10.21.3.10", 3389, T0), sink);
        detection.tick(T0.plus(Duration.ofMinutes(6)), sink);
        assertThat(sink.alerts).hasSize(3);
        assertThat(sink.alerts.get(0).message())
                .isEqualTo("Workstation 10.20.1.5 connected to workstation 10.21.3.9 on remote-administration port"
                        + " 445 (1 events)");
        assertThat(sink.alerts.get(0).severity()).isEqualTo(Severity.HIGH);
        assertThat(sink.alerts.get(1).severity()).as("refused").isEqualTo(Severity.MEDIUM);
        assertThat(sink.alerts.get(2).field(AlertField.EVENT_COUNT)).isEqualTo(20L);
    }

    @Test
    void adminMachinesServersOtherPortsAndUnconfiguredSitesAreQuiet() {
        detection.inspect(event(FirewallAction.ALLOW, "10.20.99.7", "10.21.3.9", 3389, T0), sink); // admin network
        detection.inspect(event(FirewallAction.ALLOW, "10.20.1.5", "10.30.0.1", 445, T0), sink); // to a server
        detection.inspect(event(FirewallAction.ALLOW, "10.20.1.5", "10.21.3.9", 443, T0), sink); // not admin
        detection.inspect(event(FirewallAction.ALLOW, "10.20.1.5", "10.20.1.5", 445, T0), sink); // itself
        FwLateralAdmin idle = new FwLateralAdmin(
                FirewallFixtures.SITE,
                Set.of(445),
                Duration.ofMinutes(5),
                1000,
                ALERTS,
                TimeBasis.EVENT,
                CLOCK,
                ObserverInput.SYSLOG);
        idle.inspect(event(FirewallAction.ALLOW, "10.20.1.5", "10.21.3.9", 445, T0), sink);
        assertThat(sink.alerts).isEmpty();
    }
}
