package dev.mamori.detectors.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BurstAggregatorTest {

    private static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");

    @Test
    void firstOccurrenceAlertsRepeatsAreCountedAndReturnedOnExpiry() {
        BurstAggregator<String, Integer> agg = new BurstAggregator<>(Duration.ofSeconds(60), 10);
        List<BurstAggregator.Burst<String, Integer>> closed = new ArrayList<>();
        assertThat(agg.record("a", T0, 1, closed)).isTrue();
        assertThat(agg.record("a", T0.plusSeconds(10), 2, closed)).isFalse();
        assertThat(agg.record("a", T0.plusSeconds(20), 3, closed)).isFalse();
        assertThat(agg.record("b", T0.plusSeconds(20), 9, closed)).isTrue();
        assertThat(agg.expire(T0.plusSeconds(59))).isEmpty();
        List<BurstAggregator.Burst<String, Integer>> done = agg.expire(T0.plusSeconds(80));
        assertThat(done).singleElement().satisfies(b -> {
            assertThat(b.key()).isEqualTo("a");
            assertThat(b.repeats()).isEqualTo(2);
            assertThat(b.last()).isEqualTo(T0.plusSeconds(20));
            assertThat(b.lastEvent()).isEqualTo(3);
        });
        assertThat(agg.size()).isZero();
        assertThat(closed).isEmpty();
    }

    @Test
    void fullTableFlushesExpiredFirstThenReportsUnaggregated() {
        BurstAggregator<String, Integer> agg = new BurstAggregator<>(Duration.ofSeconds(60), 2);
        List<BurstAggregator.Burst<String, Integer>> closed = new ArrayList<>();
        agg.record("a", T0, 1, closed);
        agg.record("a", T0.plusSeconds(1), 1, closed);
        agg.record("b", T0.plusSeconds(30), 1, closed);
        assertThat(agg.record("c", T0.plusSeconds(61), 1, closed)).isTrue();
        assertThat(closed).extracting(BurstAggregator.Burst::key).containsExactly("a");
        assertThat(agg.record("d", T0.plusSeconds(62), 1, closed)).isTrue();
        assertThat(agg.overflows()).isEqualTo(1);
        assertThat(agg.size()).isEqualTo(2);
    }
}
