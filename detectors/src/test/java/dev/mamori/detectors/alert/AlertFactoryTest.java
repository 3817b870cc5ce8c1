package dev.mamori.detectors.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertFactoryTest {

    private static final Rule RULE = new Rule("fw.connect_back", Severity.MEDIUM, "T1071");
    private static final Instant NOW = Instant.parse("2026-11-28T01:02:03Z");

    private final AlertFactory en =
            new AlertFactory(MessageCatalog.load(Language.EN), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void buildsAlertFromRuleCatalogAndFields() {
        Instant when = Instant.parse("2026-11-27T23:59:59Z");
        Alert a = en.alert(RULE, ObserverInput.SYSLOG)
                .at(when)
                .severity(Severity.HIGH)
                .field(AlertField.SOURCE_IP, "10.1.2.3")
                .field(AlertField.DESTINATION_PORT, 443)
                .field(AlertField.HOST_NAME, " ")
                .args("10.1.2.3", "198.51.100.7", 443, 3)
                .build();
        assertThat(a.timestamp()).isEqualTo(when);
        assertThat(a.ruleId()).isEqualTo("fw.connect_back");
        assertThat(a.ruleName()).isEqualTo("Connect-back attempt blocked at the firewall");
        assertThat(a.severity()).isEqualTo(Severity.HIGH);
        assertThat(a.message())
                .isEqualTo("Internal host 10.1.2.3 tried to reach external 198.51.100.7:443"
                        + " and was denied (3 attempts)");
        assertThat(a.recommendation()).contains("infected");
        assertThat(a.input()).isEqualTo(ObserverInput.SYSLOG);
        assertThat(a.fields())
                .containsEntry(AlertField.SOURCE_IP, "10.1.2.3")
                .containsEntry(AlertField.DESTINATION_PORT, 443L)
                .containsEntry(AlertField.THREAT_TECHNIQUE_ID, "T1071")
                .doesNotContainKey(AlertField.HOST_NAME);
    }

    @Test
    void defaultsToRuleSeverityAndClockTime() {
        Alert a = en.alert(RULE, ObserverInput.FILE).build();
        assertThat(a.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(a.timestamp()).isEqualTo(NOW);
    }

    @Test
    void japaneseCatalogChangesTextButNotIdsOrFields() {
        AlertFactory ja = new AlertFactory(MessageCatalog.load(Language.JA), Clock.systemUTC());
        Alert a = ja.alert(RULE, ObserverInput.SYSLOG)
                .field(AlertField.SOURCE_IP, "10.0.0.1")
                .build();
        assertThat(a.ruleId()).isEqualTo("fw.connect_back");
        assertThat(a.ruleName()).contains("コネクトバック");
        assertThat(a.fields())
                .containsExactly(
                        Map.entry(AlertField.SOURCE_IP, "10.0.0.1"),
                        Map.entry(AlertField.THREAT_TECHNIQUE_ID, RULE.technique()));
    }

    @Test
    void alertRejectsValuesOtherThanStringsAndLongs() {
        assertThatThrownBy(() -> new Alert(
                        NOW, "x", "x", Severity.LOW, "m", ObserverInput.FILE, "r", Map.of(AlertField.SOURCE_PORT, 3.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source.port");
    }

    @Test
    void severityOrderAndRaise() {
        assertThat(Severity.LOW.raised()).isEqualTo(Severity.MEDIUM);
        assertThat(Severity.CRITICAL.raised()).isEqualTo(Severity.CRITICAL);
        assertThat(Severity.HIGH.atLeast(Severity.MEDIUM)).isTrue();
        assertThat(Severity.fromLabel("High")).isEqualTo(Severity.HIGH);
        assertThatThrownBy(() -> Severity.fromLabel("severe")).hasMessageContaining("low, medium, high, critical");
    }
}
