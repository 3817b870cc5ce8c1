package dev.mamori.protocols.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TransportTest {

    @Test
    void theBestIsAvailableAndPreferredInOrder() {
        Transport best = Transport.best();
        assertThat(best.available()).isTrue();
        for (Transport t : Transport.values()) {
            if (t.ordinal() < best.ordinal()) {
                assertThat(t.available())
                        .as(t.label() + " would have been preferred")
                        .isFalse();
            }
        }
        assertThat(Transport.NIO.available()).isTrue();
        assertThat(Transport.NIO.unavailabilityCause()).isNull();
    }

    @Test
    void labelsAreTheConfigurationsNames() {
        assertThat(Transport.IO_URING.label()).isEqualTo("io_uring");
        for (Transport t : Transport.values()) {
            assertThat(Transport.of(t.label())).isEqualTo(t);
        }
        assertThat(Transport.of("auto")).isNull();
        assertThat(Transport.of("EPOLL")).isNull();
    }

    @Test
    void udpHasALoopOfItsOwnOnEpollBesideIoUring() {
        try (EventLoops loops = new EventLoops(1, Transport.best())) {
            if (loops.transport() == Transport.IO_URING && Transport.EPOLL.available()) {
                assertThat(loops.datagrams()).isNotSameAs(loops.workers("syslog"));
                assertThat(loops.datagramChannelType().getSimpleName()).startsWith("Epoll");
            } else {
                assertThat(loops.datagrams()).isSameAs(loops.workers("syslog"));
            }
            assertThat(loops.datagramSlotOption() == null).isEqualTo(loops.transport() == Transport.NIO);
        }
    }

    /**
     * A listener named in the sizes has loops of its own, of its size; the others share theirs;
     * every group is shut down with the rest.
     */
    @Test
    void aListenerNamedInTheSizesHasLoopsOfItsOwn() {
        EventLoops loops = new EventLoops(new LoopSizes(1, Map.of("icap", 3)), Transport.NIO);
        try (loops) {
            assertThat(loops.workers("icap")).isNotSameAs(loops.workers("smtp"));
            assertThat(loops.workers("smtp")).isSameAs(loops.workers("syslog")).isSameAs(loops.workers("http"));
            assertThat(loops.workerThreads("icap")).isEqualTo(3);
            assertThat(loops.workerThreads("smtp")).isEqualTo(1);
            assertThat(loops.describe()).isEqualTo("1 event loop, 3 for icap");
        }
        assertThat(loops.workers("icap").isTerminated()).isTrue();
        assertThat(loops.workers("smtp").isTerminated()).isTrue();
    }

    @Test
    void aListenerNotNamedGetsTheSharedCount() {
        LoopSizes sizes = new LoopSizes(2, Map.of("icap", 4));
        assertThat(sizes.of("icap")).isEqualTo(4);
        assertThat(sizes.of("smtp")).isEqualTo(2);
        assertThat(sizes.describe()).isEqualTo("2 event loops, 4 for icap");
        assertThat(LoopSizes.shared(3).of("icap")).isEqualTo(3);
        assertThat(LoopSizes.shared(3).describe()).isEqualTo("3 event loops");
    }
}
