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
        // a URL with a path lists that path, not its whole host
        assertThat(i.matchIp("2001:db8::7")).isNull();
        assertThat(i.matchUrl("2001:db8::7", "/x/y")).isEqualTo("2001:db8::7/x");
        assertThat(i.matchIp("192.0.2.67")).isNull();
        assertThat(i.matchDomain("c2.example.net")).isEqualTo("c2.example.net");
        assertThat(i.matchDomain("www.C2.example.net")).isEqualTo("c2.example.net");
        assertThat(i.matchDomain("evil.example.org")).isNull();
        assertThat(i.matchUrl("evil.example.org", "/path?q=1&r=2")).isEqualTo("evil.example.org/path?q=1");
        assertThat(i.matchUrl("evil.example.org", "/path"))
                .as("the listed query is part of it")
                .isNull();
        assertThat(i.matchDomain("example.net")).isNull();
        assertThat(i.matchDomain("notc2.example.net")).isNull();
        assertThat(problems)
                .singleElement()
                .hasToString("ioc.txt:7: not an IP address, CIDR block, domain or URL: 'not an indicator!'");
    }

    @Test
    void oneBadPageOfASharedHostFlagsThatPageOnly() throws Exception {
        Indicators i = new Indicators.Builder()
                .read("ioc.txt", new StringReader("""
                http://shared.example/~mallory/
                https://cdn.example.org/payload.bin
                http://whole.example.net/
                """), new ArrayList<>())
                .build();
        assertThat(i.matchUrl("shared.example", "/~mallory/stage2.js")).isEqualTo("shared.example/~mallory/");
        assertThat(i.matchUrl("SHARED.example", "/~mallory/")).isEqualTo("shared.example/~mallory/");
        assertThat(i.matchUrl("shared.example", "/~alice/index.html")).isNull();
        assertThat(i.matchUrl("shared.example", "/~mallory"))
                .as("not below the listed folder")
                .isNull();
        assertThat(i.matchDomain("shared.example")).isNull();
        assertThat(i.matchUrl("cdn.example.org", "/payload.bin?v=2")).isEqualTo("cdn.example.org/payload.bin");
        assertThat(i.matchUrl("cdn.example.org", "/payload.bin2")).isNull();
        assertThat(i.matchUrl("www.cdn.example.org", "/payload.bin"))
                .as("that host only")
                .isNull();
        assertThat(i.matchDomain("whole.example.net")).as("no path: the host").isEqualTo("whole.example.net");
    }
}
