package dev.mamori.sensor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsAndSizesTest {

    @Test
    void durationsInOperatorUnits() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.parse(Durations.format(Duration.ofMillis(93_784_005))))
                .isEqualTo(Duration.ofMillis(93_784_005));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "m", "5 minutes", "-5m", "1.5h", "99999999999999999999s"})
    void badDurationsSayWhatIsExpected(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duration");
    }

    @Test
    void sizesBinaryDecimalAndPlain() {
        assertThat(Sizes.parse("100MiB")).isEqualTo(104_857_600L);
        assertThat(Sizes.parse("64KiB")).isEqualTo(65_536L);
        assertThat(Sizes.parse("1GB")).isEqualTo(1_000_000_000L);
        assertThat(Sizes.parse("104857600")).isEqualTo(104_857_600L);
        assertThat(Sizes.parse("10 mib")).isEqualTo(10L << 20);
        assertThat(Sizes.format(104_857_600L)).isEqualTo("100MiB");
        assertThat(Sizes.format(1000L)).isEqualTo("1000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MiB", "10 parsecs", "-1", "1.5MiB"})
    void badSizesSayWhatIsExpected(String text) {
        assertThatThrownBy(() -> Sizes.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size");
    }

    @Test
    void didYouMeanFindsCloseKeysOnly() {
        assertThat(DidYouMean.closest("prot", List.of("port", "bind", "action")))
                .contains("port");
        assertThat(DidYouMean.closest("udp_prot", List.of("udp_port", "tcp_port")))
                .contains("udp_port");
        assertThat(DidYouMean.closest("colour", List.of("port", "bind"))).isEmpty();
    }
}
