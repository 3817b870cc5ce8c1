package dev.mamori.detectors.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Ipv4TableTest {

    @Test
    void answersAsAMapDoesForRandomKeysAndMisses() {
        for (long seed = 1; seed <= 20; seed++) {
            Random r = new Random(seed);
            Ipv4Table table = new Ipv4Table();
            Map<Integer, String> reference = new HashMap<>();
            // masked network addresses as IpSet stores them (low bits zero), and any int at all
            int prefix = r.nextInt(33);
            int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
            int n = r.nextInt(5000);
            for (int i = 0; i < n; i++) {
                int key = (i % 3 == 0 ? r.nextInt() : r.nextInt() & mask);
                String value = "v" + i;
                table.putIfAbsent(key, value);
                reference.putIfAbsent(key, value);
            }
            assertThat(table.size()).isEqualTo(reference.size());
            for (Map.Entry<Integer, String> e : reference.entrySet()) {
                assertThat(table.get(e.getKey())).isEqualTo(e.getValue());
            }
            for (int i = 0; i < 5000; i++) {
                int probe = r.nextInt();
                assertThat(table.get(probe)).isEqualTo(reference.get(probe));
            }
        }
    }

    @Test
    void everyIntIsAKeyZeroAndTheExtremesIncluded() {
        Ipv4Table table = new Ipv4Table();
        assertThat(table.get(0)).isNull();
        table.putIfAbsent(0, "0.0.0.0/0");
        table.putIfAbsent(-1, "255.255.255.255");
        table.putIfAbsent(Integer.MIN_VALUE, "128.0.0.0/1");
        assertThat(table.get(0)).isEqualTo("0.0.0.0/0");
        assertThat(table.get(-1)).isEqualTo("255.255.255.255");
        assertThat(table.get(Integer.MIN_VALUE)).isEqualTo("128.0.0.0/1");
        assertThat(table.get(1)).isNull();
    }

    @Test
    void keysThatShareTheirTopBitsAllStay() {
        // a /8's worth of /24 networks: the keys differ only in bits 8-23
        Ipv4Table table = new Ipv4Table();
        for (int i = 0; i < 65536; i++) {
            table.putIfAbsent(0x0A000000 | i << 8, "10." + (i >> 8) + "." + (i & 0xFF) + ".0/24");
        }
        assertThat(table.size()).isEqualTo(65536);
        assertThat(table.get(0x0A000000 | 513 << 8)).isEqualTo("10.2.1.0/24");
        assertThat(table.get(0x0A000001)).isNull();
    }

    @Test
    void theFirstTextForAKeyIsKept() {
        Ipv4Table table = new Ipv4Table();
        table.putIfAbsent(0xC0A80000, "192.168.0.0/16");
        table.putIfAbsent(0xC0A80000, "192.168.0.0/16 again");
        assertThat(table.get(0xC0A80000)).isEqualTo("192.168.0.0/16");
        assertThat(table.size()).isEqualTo(1);
        assertThatThrownBy(() -> table.putIfAbsent(1, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
