package dev.mamori.detectors.firewall;

import static dev.mamori.detectors.firewall.FirewallFixtures.ALERTS;
import static dev.mamori.detectors.firewall.FirewallFixtures.CLOCK;
import static dev.mamori.detectors.firewall.FirewallFixtures.T0;
import static dev.mamori.detectors.firewall.FirewallFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.intel.Indicators;
import dev.mamori.detectors.state.TimeBasis;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FwC2CommunicationTest {

    private final AtomicReference<Indicators> intel =
            new AtomicReference<>(indicators("192.0.2.66", "198.51.100.0/28"));
    private final FwC2Communication detection = new FwC2Communication(
            intel::get, Duration.ofMinutes(5), 1000, ALERTS, TimeBasis.EVENT, CLOCK, ObserverInput.SYSLOG);
    private final FirewallFixtures.Sink sink = new FirewallFixtures.Sink();

    private static Indicators indicators(String... entries) {
        Indicators.Builder b = new Indicators.Builder();
        for (String e : entries) {
            assertThat(b.add(e)).isNull();
        }
        return b.build();
    }

    @Test
    void allowedTrafficToAnIndicatorIsCritical() {
        detection.inspect(event(FirewallAction.ALLOW, "10.1.2.3", "192.0.2.66", 443, T0), sink);
        Alert a = sink.alerts.get(0);
        assertThat(a.ruleId()).isEqualTo("fw.c2_communication");
        assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(a.message())
                .isEqualTo("Traffic between 10.1.2.3 and known C&C indicator 192.0.2.66 was allowed" + " (1 events)");
    }

    @Test
    void deniedTrafficToACidrIndicatorIsHighAndNamesTheBlock() {
        detection.inspect(event(FirewallAction.DENY, "10.1.2.3", "198.51.100.9", 8080, T0), sink);
        assertThat(sink.alerts).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.HIGH);
            assertThat(a.message()).contains("198.51.100.0/28");
        });
    }

    @Test
    void inboundFromAnIndicatorAlsoCounts() {
        detection.inspect(event(FirewallAction.ALLOW, "192.0.2.66", "10.1.2.3", 22, T0), sink);
        assertThat(sink.alerts)
                .singleElement()
                .satisfies(a -> assertThat(a.message())
                        .startsWith("Traffic between 10.1.2.3 and known C&C indicator 192.0.2.66"));
    }

    @Test
    void unlistedTrafficAndAddressesOutsideTheBlockDoNotAlert() {
        detection.inspect(event(FirewallAction.ALLOW, "10.1.2.3", "198.51.100.16", 443, T0), sink);
        detection.inspect(event(FirewallAction.DENY, "10.1.2.3", "203.0.113.1", 443, T0), sink);
        assertThat(sink.alerts).isEmpty();
    }

    @Test
    void aReloadedListTakesEffectOnTheNextEvent() {
        detection.inspect(event(FirewallAction.ALLOW, "10.1.2.4", "203.0.113.1", 443, T0), sink);
        assertThat(sink.alerts).as("203.0.113.1 is not listed yet").isEmpty();
        intel.set(indicators("203.0.113.1"));
        detection.inspect(event(FirewallAction.ALLOW, "10.1.2.3", "203.0.113.1", 443, T0), sink);
        detection.inspect(event(FirewallAction.ALLOW, "10.1.2.3", "192.0.2.66", 443, T0), sink);
        assertThat(sink.alerts)
                .as("the new indicator alerts, the removed one no longer does")
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.field(AlertField.DESTINATION_IP)).isEqualTo("203.0.113.1");
                    assertThat(a.message()).contains("known C&C indicator 203.0.113.1");
                });
    }

    @Test
    void repeatsFoldUntilTheWindowCloses() {
        for (int i = 0; i < 50; i++) {
            detection.inspect(event(FirewallAction.ALLOW, "10.1.2.3", "192.0.2.66", 443, T0.plusSeconds(i)), sink);
        }
        detection.tick(T0.plus(Duration.ofMinutes(10)), sink);
        assertThat(sink.alerts).hasSize(2);
        assertThat(sink.alerts.get(1).message()).endsWith("(49 events)");
    }
}
