package dev.mamori.detectors.intel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndicatorsTest {

    @Test
    void readsAddressesBlocksDomainsAndUrlsWithComments() throws Exception {
        List<Indicators.Problem> problems = new ArrayList<>();
        Indicators i = new Indicators.Builder()
                .read("ioc.txt", new StringReader("""
                # feed 2026-11-28
                192.0.2.66
                198.51.100.0/28   # block
                C2.Example.NET.
                https://user@evil.example.org:8443/path?q=1
                http://[2001:db8::7]/x
                not an indicator!
                """), problems)
                .build();
        assertThat(i.size()).isEqualTo(5);
        assertThat(i.matchIp("192.0.2.66")).isEqualTo("192.0.2.66");
        assertThat(i.matchIp("198.51.100.5")).isEqualTo("198.51.100.0/28");
        assertThat(i.matchIp("2001:db8::7")).isEqualTo("2001:db8::7");
        assertThat(i.matchIp("192.0.2.67")).isNull();
        assertThat(i.matchDomain("c2.example.net")).isEqualTo("c2.example.net");
        assertThat(i.matchDomain("www.C2.example.net")).isEqualTo("c2.example.net");
        assertThat(i.matchDomain("evil.example.org")).isEqualTo("evil.example.org");
        assertThat(i.matchDomain("example.net")).isNull();
        assertThat(i.matchDomain("notc2.example.net")).isNull();
        assertThat(problems)
                .singleElement()
                .hasToString("ioc.txt:7: not an IP address, CIDR block, domain or URL: 'not an indicator!'");
    }
}
