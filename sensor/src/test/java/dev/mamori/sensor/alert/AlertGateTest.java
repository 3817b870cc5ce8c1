package dev.mamori.sensor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.sensor.TestAlerts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertGateTest {

    private static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");

    @Test
    void suppressionListsMatchExactValuesAndBlocksPerRule() {
        AlertGate gate = new AlertGate(
                List.of(new AlertGate.Suppression(
                        "fw.connect_back", AlertField.SOURCE_IP, List.of("10.9.9.9", "10.50.0.0/16"))),
                Duration.ZERO,
                100);
        assertThat(gate.suppressed(TestAlerts.connectBack("10.9.9.9", T0))).isTrue();
        assertThat(gate.suppressed(TestAlerts.connectBack("10.50.3.4", T0))).isTrue();
        assertThat(gate.suppressed(TestAlerts.connectBack("10.1.2.3", T0))).isFalse();
        // another rule's alert from the very address fw.connect_back suppresses: not suppressed
        Alert otherRule = TestAlerts.logCleared("dc01", Severity.HIGH, T0);
        Alert fromSuppressedAddress = new Alert(
                otherRule.timestamp(),
                otherRule.ruleId(),
                otherRule.ruleName(),
                otherRule.severity(),
                otherRule.message(),
                otherRule.input(),
                otherRule.recommendation(),
                with(otherRule.fields(), AlertField.SOURCE_IP, "10.9.9.9"));
        assertThat(fromSuppressedAddress.field(AlertField.SOURCE_IP)).isEqualTo("10.9.9.9");
        assertThat(gate.suppressed(fromSuppressedAddress)).isFalse();
    }

    @Test
    void identicalAlertsWithinTheWindowFoldIntoOnePlusACount() {
        AlertGate gate = new AlertGate(List.of(), Duration.ofMinutes(1), 100);
        List<Alert> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            gate.admit(TestAlerts.connectBack("10.1.2.3", T0.plusSeconds(i)), T0.plusSeconds(i), out::add);
        }
        gate.admit(TestAlerts.connectBack("10.1.2.4", T0), T0, out::add);
        assertThat(out).hasSize(2);
        gate.tick(T0.plusSeconds(61), out::add);
        assertThat(out).hasSize(3);
        assertThat(out.get(2).field(AlertField.EVENT_COUNT)).isEqualTo(4L);
        assertThat(out.get(2).field(AlertField.EVENT_START)).isEqualTo(T0.toString());
    }

    @Test
    void filtersBySeverityAndRules() {
        AlertFilter f = new AlertFilter(Severity.HIGH, Set.of(), Set.of("ad.log_cleared"));
        assertThat(f.accepts(TestAlerts.connectBack("10.1.2.3", T0))).isTrue();
        assertThat(f.accepts(TestAlerts.logCleared("dc", Severity.CRITICAL, T0)))
                .isFalse();
        AlertFilter only = new AlertFilter(Severity.LOW, Set.of("ad.log_cleared"), Set.of());
        assertThat(only.accepts(TestAlerts.connectBack("10.1.2.3", T0))).isFalse();
        assertThat(new AlertFilter(Severity.CRITICAL, Set.of(), Set.of())
                        .accepts(TestAlerts.connectBack("1.2.3.4", T0)))
                .isFalse();
    }

    private static Map<AlertField, Object> with(Map<AlertField, Object> fields, AlertField f, Object v) {
        Map<AlertField, Object> out = new EnumMap<>(AlertField.class);
        out.putAll(fields);
        out.put(f, v);
        return out;
    }
}
