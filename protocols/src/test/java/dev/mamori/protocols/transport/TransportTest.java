package dev.mamori.protocols.transport;

import static org.assertj.core.api.Assertions.assertThat;

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
                assertThat(loops.datagrams()).isNotSameAs(loops.workers());
                assertThat(loops.datagramChannelType().getSimpleName()).startsWith("Epoll");
            } else {
                assertThat(loops.datagrams()).isSameAs(loops.workers());
            }
            assertThat(loops.datagramSlotOption() == null).isEqualTo(loops.transport() == Transport.NIO);
        }
    }
}
