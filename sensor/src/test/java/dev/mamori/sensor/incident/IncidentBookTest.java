package dev.mamori.sensor.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.Language;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.sensor.state.SnapshotFile;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncidentBookTest {

    private static final MessageCatalog EN = MessageCatalog.load(Language.EN);
    private static final AlertFactory ALERTS = new AlertFactory(EN, Clock.systemUTC());
    private static final Instant T0 = Instant.parse("2026-12-03T01:00:00Z");

    private static final Rule C2 = new Rule("proxy.c2_access", Severity.HIGH, null);
    private static final Rule CONNECT_BACK = new Rule("fw.connect_back", Severity.MEDIUM, null);
    private static final Rule OFF_HOURS = new Rule("ad.off_hours_auth", Severity.MEDIUM, null);
    private static final Rule SILENT = new Rule("sensor.source_silent", Severity.MEDIUM, null);

    @TempDir
    Path dir;

    private final IncidentBook book = new IncidentBook(Duration.ofHours(24), 100, EN);

    private static Alert alert(Rule rule, Instant at, String ip, String user) {
        return ALERTS.alert(rule, ObserverInput.SYSLOG)
                .at(at)
                .field(AlertField.SOURCE_IP, ip)
                .field(AlertField.USER_NAME, user)
                .args("a", "b", "c", "d", "e")
                .build();
    }

    @Test
    void aProxyAndAFirewallAlertAboutOneHostAreOneIncidentRaisedOneStep() {
        Alert first = book.assign(alert(C2, T0, "10.1.2.3", null));
        Alert second = book.assign(alert(CONNECT_BACK, T0.plus(Duration.ofHours(3)), "10.1.2.3", null));

        String id = (String) first.field(AlertField.INCIDENT_ID);
        assertThat(id).startsWith("INC-20261203-");
        assertThat(second.field(AlertField.INCIDENT_ID)).isEqualTo(id);
        assertThat(first.severity()).isEqualTo(Severity.HIGH);
        assertThat(first.message()).doesNotContain(id);
        assertThat(second.severity()).isEqualTo(Severity.HIGH);
        assertThat(second.message())
                .endsWith(" [incident " + id + ": proxy, firewall evidence on 10.1.2.3, now critical]");

        IncidentBook.Entry inc = book.incidents().get(0);
        assertThat(inc.entityType()).isEqualTo("host");
        assertThat(inc.entityValue()).isEqualTo("10.1.2.3");
        assertThat(inc.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(inc.raised()).isTrue();
        assertThat(inc.rules()).containsExactly("proxy.c2_access", "fw.connect_back");
        assertThat(inc.alerts()).isEqualTo(2);
        assertThat(inc.firstSeen()).isEqualTo(T0.toEpochMilli());
        assertThat(inc.lastSeen()).isEqualTo(T0.plus(Duration.ofHours(3)).toEpochMilli());
    }

    @Test
    void oneKindOfEvidenceIsNotRaisedAndOtherHostsAreOtherIncidents() {
        Alert a = book.assign(alert(C2, T0, "10.1.2.3", null));
        Alert b = book.assign(alert(C2, T0.plusSeconds(60), "10.1.2.3", null));
        Alert c = book.assign(alert(CONNECT_BACK, T0.plusSeconds(60), "10.9.9.9", null));
        assertThat(b.field(AlertField.INCIDENT_ID)).isEqualTo(a.field(AlertField.INCIDENT_ID));
        assertThat(c.field(AlertField.INCIDENT_ID)).isNotEqualTo(a.field(AlertField.INCIDENT_ID));
        assertThat(List.of(a, b, c)).allSatisfy(x -> assertThat(x.message()).doesNotContain("[incident"));
        assertThat(book.incidents()).hasSize(2).noneMatch(IncidentBook.Entry::raised);
    }

    @Test
    void anAccountSeenAtAHostLinksItsLaterAlertsToTheHostsIncident() {
        Alert proxy = book.assign(alert(C2, T0, "10.1.2.3", "Alice"));
        Alert ad = book.assign(alert(OFF_HOURS, T0.plusSeconds(600), null, "alice"));
        assertThat(ad.field(AlertField.INCIDENT_ID)).isEqualTo(proxy.field(AlertField.INCIDENT_ID));
        assertThat(ad.severity()).isEqualTo(Severity.HIGH);
        assertThat(book.incidents().get(0).evidence()).containsExactly("proxy", "windows");
    }

    @Test
    void pastTheWindowANewIncidentOpens() {
        Alert a = book.assign(alert(C2, T0, "10.1.2.3", null));
        Alert b = book.assign(alert(CONNECT_BACK, T0.plus(Duration.ofHours(25)), "10.1.2.3", null));
        assertThat(b.field(AlertField.INCIDENT_ID)).isNotEqualTo(a.field(AlertField.INCIDENT_ID));
        assertThat(b.severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void sensorAlertsAndAlertsWithoutAnEntityStayOut() {
        Alert silent = book.assign(ALERTS.alert(SILENT, ObserverInput.SYSLOG)
                .field(AlertField.SOURCE_IP, "192.0.2.1")
                .args("fw", "firewall", "10 min", "x")
                .build());
        Alert bare = book.assign(alert(C2, T0, null, null));
        assertThat(silent.field(AlertField.INCIDENT_ID)).isNull();
        assertThat(bare.field(AlertField.INCIDENT_ID)).isNull();
        assertThat(book.incidents()).isEmpty();
    }

    @Test
    void incidentsSurviveARestartAndKeepGathering() {
        Alert a = book.assign(alert(C2, T0, "10.1.2.3", "bob"));
        IncidentBook next = new IncidentBook(Duration.ofHours(24), 100, EN);
        SnapshotFile.of(dir, "incidents", book).save();
        SnapshotFile.of(dir, "incidents", next).load();
        Alert b = next.assign(alert(OFF_HOURS, T0.plusSeconds(60), null, "BOB"));
        assertThat(b.field(AlertField.INCIDENT_ID)).isEqualTo(a.field(AlertField.INCIDENT_ID));
        assertThat(next.incidents().get(0).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(next.incidents().get(0).alerts()).isEqualTo(2);
    }

    @Test
    void theBookIsBounded() {
        IncidentBook small = new IncidentBook(Duration.ofHours(24), 3, EN);
        for (int i = 0; i < 10; i++) {
            small.assign(alert(C2, T0.plusSeconds(i), "10.0.0." + i, null));
        }
        assertThat(small.incidents())
                .extracting(IncidentBook.Entry::entityValue)
                .containsExactly("10.0.0.9", "10.0.0.8", "10.0.0.7");
        Alert again = small.assign(alert(CONNECT_BACK, T0.plusSeconds(20), "10.0.0.1", null));
        assertThat(again.severity()).isEqualTo(Severity.MEDIUM); // its old incident is gone: a new one
    }

    /** The window check says what {@code Duration.between(last, at)} compared with the window says. */
    @Test
    void withinTheWindowAsDurationSaysIt() {
        java.util.Random random = new java.util.Random(24);
        for (int i = 0; i < 200_000; i++) {
            Duration window =
                    Duration.ofSeconds(random.nextInt(5), random.nextInt(3) == 0 ? 0 : random.nextInt(1_000_000_000));
            IncidentBook b = new IncidentBook(window, 10, EN);
            Instant last = Instant.ofEpochSecond(random.nextLong(-1_000_000, 1_000_000), random.nextInt(1_000_000_000));
            Instant at = switch (random.nextInt(3)) {
                case 0 -> last.plus(window);
                case 1 -> last.plus(window).plusNanos(random.nextBoolean() ? 1 : -1);
                default ->
                    last.plusSeconds(random.nextInt(-8, 8)).plusNanos(random.nextInt(-1_000_000_000, 1_000_000_000));
            };
            assertThat(b.within(last, at))
                    .as("%s -> %s within %s", last, at, window)
                    .isEqualTo(Duration.between(last, at).compareTo(window) <= 0);
        }
    }
}
