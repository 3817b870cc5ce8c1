package dev.mamori.detectors.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AlertTest {

    private static Alert alert(Map<AlertField, Object> fields) {
        return new Alert(Instant.EPOCH, "proxy.x", "n", Severity.LOW, "m", ObserverInput.ICAP, "r", fields);
    }

    /** The fields are copied as given, whatever kind of map brought them, and later changes to it do not show. */
    @Test
    void fieldsAreAnIndependentCopyOfWhatWasGiven() {
        Random random = new Random(17);
        for (int i = 0; i < 2_000; i++) {
            Map<AlertField, Object> given = i % 2 == 0 ? new EnumMap<>(AlertField.class) : new HashMap<>();
            for (AlertField f : AlertField.values()) {
                if (random.nextBoolean()) {
                    given.put(f, random.nextBoolean() ? (Object) random.nextLong() : "v" + random.nextInt());
                }
            }
            Alert a = alert(given);
            assertThat(a.fields()).isEqualTo(given);
            given.put(AlertField.SOURCE_IP, "changed later");
            given.remove(AlertField.USER_NAME);
            assertThat(a.fields()).isNotEqualTo(given);
            AlertField f = AlertField.values()[random.nextInt(AlertField.values().length)];
            Alert more = a.with(f, "added");
            Map<AlertField, Object> expected = new HashMap<>(a.fields());
            expected.put(f, "added");
            assertThat(more.fields()).isEqualTo(expected);
            assertThat(a.fields()).doesNotContainEntry(f, "added");
        }
    }

    @Test
    void aValueThatIsNeitherTextNorWholeNumberIsRefusedByName() {
        Map<AlertField, Object> fields = new HashMap<>();
        fields.put(AlertField.SOURCE_PORT, 25);
        assertThatThrownBy(() -> alert(fields))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("source.port: value must be String or Long, was Integer");
        fields.put(AlertField.SOURCE_PORT, null);
        assertThatThrownBy(() -> alert(fields))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("source.port: value must be String or Long, was null");
        Map<AlertField, Object> none = new EnumMap<>(AlertField.class);
        none.put(AlertField.HOST_NAME, null);
        assertThatThrownBy(() -> alert(none)).hasMessage("host.name: value must be String or Long, was null");
        Alert ok = alert(Map.of(AlertField.USER_NAME, "u"));
        assertThatThrownBy(() -> ok.with(AlertField.INCIDENT_ID, null))
                .hasMessage("incident.id: value must be String or Long, was null");
        assertThatThrownBy(() -> ok.with(AlertField.INCIDENT_ID, 3))
                .hasMessage("incident.id: value must be String or Long, was Integer");
        Map<AlertField, Object> nullKey = new HashMap<>();
        nullKey.put(null, "x");
        assertThatThrownBy(() -> alert(nullKey)).isInstanceOf(IllegalArgumentException.class);
    }
}
