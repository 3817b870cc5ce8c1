package dev.mamori.sensor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.sensor.TestAlerts;
import java.time.Instant;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class AlertRingTest {

    private static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");

    @Test
    void keepsTheNewestInArrivalOrder() {
        AlertRing ring = new AlertRing(3);
        for (int i = 1; i <= 5; i++) {
            ring.add(TestAlerts.connectBack("10.0.0." + i, T0.plusSeconds(i)));
        }
        assertThat(ring.query(null, null, null, -1))
                .extracting(Alert::timestamp)
                .containsExactly(T0.plusSeconds(3), T0.plusSeconds(4), T0.plusSeconds(5));
    }

    @Test
    void filtersByRuleSeveritySinceAndLimit() {
        AlertRing ring = new AlertRing(100);
        ring.add(TestAlerts.connectBack("10.0.0.1", T0));
        ring.add(TestAlerts.logCleared("dc01", Severity.HIGH, T0.plusSeconds(10)));
        ring.add(TestAlerts.logCleared("dc02", Severity.MEDIUM, T0.plusSeconds(20)));
        ring.add(TestAlerts.logCleared("dc03", Severity.HIGH, T0.plusSeconds(30)));

        assertThat(ring.query("ad.log_cleared", null, null, -1)).hasSize(3);
        assertThat(ring.query(null, EnumSet.of(Severity.MEDIUM), null, -1))
                .singleElement()
                .satisfies(a -> assertThat(a.timestamp()).isEqualTo(T0.plusSeconds(20)));
        assertThat(ring.query(null, null, T0.plusSeconds(20), -1)).hasSize(2);
        assertThat(ring.query("ad.log_cleared", EnumSet.of(Severity.HIGH), null, 1))
                .singleElement()
                .satisfies(a -> assertThat(a.timestamp()).isEqualTo(T0.plusSeconds(30)));
        assertThat(ring.query("nope", null, null, -1)).isEmpty();
    }

    @Test
    void zeroCapacityKeepsNothing() {
        AlertRing ring = new AlertRing(0);
        ring.add(TestAlerts.connectBack("10.0.0.1", T0));
        assertThat(ring.query(null, null, null, -1)).isEmpty();
    }
}
