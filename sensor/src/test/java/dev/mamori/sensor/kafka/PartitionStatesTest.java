package dev.mamori.sensor.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.rule.Persistent;
import dev.mamori.sensor.ingest.Ingest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class PartitionStatesTest {

    public record Count(String client, long n) {}

    /** A detection keeping one count per client, partitioned by client. */
    static final class Counts implements Persistent<Count> {
        final Map<String, Long> counts = new TreeMap<>();

        @Override
        public Class<Count> entryType() {
            return Count.class;
        }

        @Override
        public List<Count> snapshot(Predicate<String> partitions) {
            List<Count> out = new ArrayList<>();
            counts.forEach((c, n) -> {
                if (partitions.test(c)) {
                    out.add(new Count(c, n));
                }
            });
            return out;
        }

        @Override
        public void restore(List<Count> entries) {
            entries.forEach(e -> counts.put(e.client(), e.n()));
        }

        @Override
        public void forget(Predicate<String> partitions) {
            counts.keySet().removeIf(partitions);
        }
    }

    @Test
    void aPartitionsStateIsCutOutRestoredElsewhereAndForgottenHere() {
        Counts here = new Counts();
        for (int i = 0; i < 50; i++) {
            here.counts.put("10.0.0." + i, (long) i);
        }
        PartitionStates states = new PartitionStates(List.of(new Ingest.Kept("proxy.x", here)), 4);
        Map<Integer, Set<String>> byPartition = new HashMap<>();
        here.counts
                .keySet()
                .forEach(c -> byPartition
                        .computeIfAbsent(KeyPartitions.of(c, 4), p -> new java.util.TreeSet<>())
                        .add(c));

        List<ProducerRecord<byte[], byte[]>> records = states.snapshot("g.state", 2);
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.partition()).isEqualTo(2);
            assertThat(new String(r.key())).isEqualTo("proxy.x");
        });

        Counts there = new Counts();
        int n = new PartitionStates(List.of(new Ingest.Kept("proxy.x", there)), 4)
                .restore(Map.of("proxy.x", records.get(0).value()));
        assertThat(n).isEqualTo(byPartition.get(2).size());
        assertThat(there.counts.keySet()).isEqualTo(byPartition.get(2));
        assertThat(there.counts.get(byPartition.get(2).iterator().next()))
                .isEqualTo(here.counts.get(byPartition.get(2).iterator().next()));

        states.forget(Set.of(2));
        assertThat(here.counts.keySet()).doesNotContainAnyElementsOf(byPartition.get(2));
        assertThat(here.counts).hasSize(50 - byPartition.get(2).size());
    }

    @Test
    void aRecordOfAnotherRuleOrFormIsRefusedAndTheRuleStartsClean() {
        Counts there = new Counts();
        PartitionStates states = new PartitionStates(List.of(new Ingest.Kept("proxy.x", there)), 4);
        assertThat(states.restore(Map.of(
                        "proxy.x", "{\"format\":\"mamori-state/other\",\"version\":1,\"entries\":[]}".getBytes())))
                .isZero();
        assertThat(states.restore(Map.of("proxy.x", "not json".getBytes()))).isZero();
        assertThat(there.counts).isEmpty();
    }
}
