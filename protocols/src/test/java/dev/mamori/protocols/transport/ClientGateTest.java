package dev.mamori.protocols.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientGateTest {

    /** An embedded channel that says it came from {@code remote}. */
    private static EmbeddedChannel from(String remote) {
        return new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress(remote, 40000);
            }
        };
    }

    @Test
    void refusedClientsHearTheRefusalAreCountedAndClosed() throws Exception {
        List<InetAddress> refused = new ArrayList<>();
        InetAddress allowed = InetAddress.getByName("127.0.0.1");
        ClientGate gate = new ClientGate("smtp", allowed::equals, "127.0.0.1/32", refused::add);
        EmbeddedChannel outsider = from("127.0.0.2");
        assertThat(gate.admit(outsider, "554 5.7.1 no\r\n")).isFalse();
        ByteBuf said = outsider.readOutbound();
        assertThat(said.toString(StandardCharsets.US_ASCII)).isEqualTo("554 5.7.1 no\r\n");
        said.release();
        assertThat(outsider.isOpen()).isFalse();
        EmbeddedChannel silent = from("127.0.0.3");
        assertThat(gate.admit(silent, null)).isFalse();
        Object nothing = silent.readOutbound();
        assertThat(nothing).isNull();
        assertThat(silent.isOpen()).isFalse();
        EmbeddedChannel insider = from("127.0.0.1");
        assertThat(gate.admit(insider, "554\r\n")).isTrue();
        assertThat(insider.isOpen()).isTrue();
        assertThat(refused).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.2", "127.0.0.3");
        assertThat(gate.admits(new InetSocketAddress("127.0.0.9", 514))).isFalse();
        assertThat(gate.admits(new InetSocketAddress("127.0.0.1", 514))).isTrue();
        assertThat(refused).hasSize(3);
    }

    @Test
    void ipv4MappedIpv6ClientsAreJudgedAsTheirIpv4Address() throws Exception {
        InetAddress mapped = InetAddress.getByAddress(
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3});
        assertThat(ClientGate.address(new InetSocketAddress(mapped, 1)).getHostAddress())
                .isEqualTo("10.1.2.3");
        InetAddress v6 = InetAddress.getByName("2001:db8::1");
        assertThat(ClientGate.address(new InetSocketAddress(v6, 1))).isEqualTo(v6);
        assertThat(ClientGate.address(null)).isNull();
    }
}
