package dev.mamori.detectors.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IpSetTest {

    private final IpSet rfc1918 = IpSet.of(List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "2001:db8::/32"));

    @Test
    void containsAddressesInsideTheBlocks() {
        assertThat(rfc1918.contains("10.200.3.4")).isTrue();
        assertThat(rfc1918.contains("172.31.255.255")).isTrue();
        assertThat(rfc1918.contains("172.32.0.1")).isFalse();
        assertThat(rfc1918.contains("8.8.8.8")).isFalse();
        assertThat(rfc1918.contains("2001:db8:1::5")).isTrue();
        assertThat(rfc1918.contains("2001:db9::1")).isFalse();
    }

    @Test
    void ipv4MappedIpv6MatchesIpv4Entries() {
        assertThat(rfc1918.contains("::ffff:192.168.1.10")).isTrue();
    }

    @Test
    void nonAddressesAreNeverContained() {
        assertThat(rfc1918.contains("example.com")).isFalse();
        assertThat(rfc1918.contains("")).isFalse();
        assertThat(rfc1918.contains((String) null)).isFalse();
        assertThat(rfc1918.contains("10.0.0.0/8")).isFalse();
    }

    @Test
    void fastIpv4ParserAcceptsOnlyPlainDottedQuads() {
        assertThat(IpSet.parseIpv4("0.0.0.0")).isZero();
        assertThat(IpSet.parseIpv4("255.255.255.255")).isEqualTo(0xFFFFFFFFL);
        assertThat(IpSet.parseIpv4("10.1.2.3")).isEqualTo(0x0A010203L);
        for (String bad : List.of(
                "01.2.3.4",
                "1.2.3",
                "1.2.3.4.5",
                "256.1.1.1",
                "1..2.3",
                "1.2.3.4 ",
                "a.b.c.d",
                "1.2.3.",
                ".1.2.3",
                "1234.1.1.1",
                "::1")) {
            assertThat(IpSet.parseIpv4(bad)).as(bad).isEqualTo(-1);
        }
    }

    @Test
    void longestMatchNamesTheMostSpecificEntry() {
        IpSet s = IpSet.of(List.of("10.0.0.0/8", "10.1.0.0/16", "10.1.2.3", "2001:db8::/32"));
        assertThat(s.longestMatch("10.1.2.3")).isEqualTo("10.1.2.3");
        assertThat(s.longestMatch("10.1.9.9")).isEqualTo("10.1.0.0/16");
        assertThat(s.longestMatch("10.200.0.1")).isEqualTo("10.0.0.0/8");
        assertThat(s.longestMatch("::ffff:10.1.2.3")).isEqualTo("10.1.2.3");
        assertThat(s.longestMatch("2001:db8::1")).isEqualTo("2001:db8::/32");
        assertThat(s.longestMatch("11.0.0.1")).isNull();
    }

    @Test
    void hostBitsBelowThePrefixAreCleared() {
        assertThat(IpSet.of(List.of("192.0.2.77/24")).entries()).containsExactly("192.0.2.0/24");
    }

    @Test
    void rejectsShorthandWildcardsAndNames() {
        for (String bad : List.of(
                "10.1",
                "10.*.0.0",
                "1.2.3.4-5",
                "example.com",
                "300.1.1.1",
                "",
                "10.0.0.0/33",
                // found by fuzzing: a prefix length that overflows inside the ipaddress library
                "/4222222222222222222222222222222222222222")) {
            assertThatThrownBy(() -> IpSet.of(List.of(bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not an IP address");
        }
    }

    @Test
    void membershipMatchesPrefixArithmetic() {
        Random random = new Random(20261128);
        for (int i = 0; i < 5000; i++) {
            int network = random.nextInt();
            int prefix = random.nextInt(33);
            int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
            // Half the probes inside the block, half anywhere, so both answers are exercised.
            int probe = random.nextBoolean() ? (network & mask) | (random.nextInt() & ~mask) : random.nextInt();
            IpSet set = IpSet.of(List.of(dotted(network) + "/" + prefix));
            assertThat(set.contains(dotted(probe)))
                    .as("%s in %s/%d", dotted(probe), dotted(network), prefix)
                    .isEqualTo((probe & mask) == (network & mask));
        }
    }

    private static String dotted(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }
}
