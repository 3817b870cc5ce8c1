package dev.mamori.detectors.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyedStateTest {

    record Pair(String client, String host) {}

    @Test
    void boundedNewKeysPastTheBoundAreCountedNotTracked() {
        KeyedState<Pair, Long> s = new KeyedState<>(2, Pair::client);
        assertThat(s.getOrCreate(new Pair("a", "x"), k -> 1L)).isEqualTo(1L);
        assertThat(s.put(new Pair("b", "x"), 2L)).isTrue();
        assertThat(s.isFull()).isTrue();
        assertThat(s.getOrCreate(new Pair("c", "x"), k -> 3L)).isNull();
        assertThat(s.put(new Pair("d", "x"), 4L)).isFalse();
        assertThat(s.compute(new Pair("e", "x"), (k, v) -> 5L)).isFalse();
        assertThat(s.put(new Pair("a", "x"), 10L))
                .as("an existing key is always updated")
                .isTrue();
        assertThat(s.size()).isEqualTo(2);
        assertThat(s.dropped()).isEqualTo(3);
        assertThat(s.evictIf((k, v) -> v < 5)).isEqualTo(1);
        assertThat(s.put(new Pair("c", "x"), 3L))
                .as("room again after eviction")
                .isTrue();
        assertThatThrownBy(() -> new KeyedState<>(0, k -> "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theStateOfChosenPartitionsMovesToAnotherHolder() {
        KeyedState<Pair, Long> one = new KeyedState<>(100, Pair::client);
        one.put(new Pair("10.1.2.3", "a.example"), 1L);
        one.put(new Pair("10.1.2.3", "b.example"), 2L);
        one.put(new Pair("10.9.9.9", "a.example"), 3L);
        List<Pair> moved = one.snapshot("10.1.2.3"::equals, (k, v) -> k);
        assertThat(moved)
                .containsExactlyInAnyOrder(new Pair("10.1.2.3", "a.example"), new Pair("10.1.2.3", "b.example"));
        KeyedState<Pair, Long> other = new KeyedState<>(100, Pair::client);
        for (Pair p : moved) {
            assertThat(other.restore(p, one.get(p))).isTrue();
        }
        assertThat(other.get(new Pair("10.1.2.3", "b.example"))).isEqualTo(2L);
        assertThat(other.get(new Pair("10.9.9.9", "a.example"))).isNull();
        assertThat(one.snapshot(p -> true, (k, v) -> v)).containsExactlyInAnyOrder(1L, 2L, 3L);
    }
}
