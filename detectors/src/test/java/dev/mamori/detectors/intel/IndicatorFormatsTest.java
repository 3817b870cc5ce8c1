package dev.mamori.detectors.intel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndicatorFormatsTest {

    @Test
    void csvByColumnNameOrNumber() throws Exception {
        List<Indicators.Problem> problems = new ArrayList<>();
        Indicators byName = new Indicators.Builder()
                .readCsv("feed.csv", new StringReader("""
                # exported 2026-11-28
                first_seen,indicator,type
                2026-11-01,192.0.2.66,ip
                2026-11-02,"evil.example.org",domain
                2026-11-03,not an indicator,junk
                """), "indicator", problems)
                .build();
        assertThat(byName.matchIp("192.0.2.66")).isEqualTo("192.0.2.66");
        assertThat(byName.matchDomain("www.evil.example.org")).isEqualTo("evil.example.org");
        assertThat(problems)
                .singleElement()
                .hasToString("feed.csv:5: not an IP address, CIDR block, domain or URL: 'not an indicator'");
        problems.clear();
        Indicators byNumber = new Indicators.Builder()
                .readCsv("f.csv", new StringReader("x,198.51.100.0/24\n"), "2", problems)
                .build();
        assertThat(byNumber.matchIp("198.51.100.9")).isEqualTo("198.51.100.0/24");
        new Indicators.Builder().readCsv("f.csv", new StringReader("a,b\n1,2\n"), "missing", problems);
        assertThat(problems).singleElement().hasToString("f.csv:1: no column named 'missing' in the header");
    }

    @Test
    void stixBundleSimplePatternsAndWhatIsSkipped() throws Exception {
        String bundle = """
                {"type": "bundle", "id": "bundle--1", "objects": [
                  {"type": "identity", "id": "identity--1", "name": "feed"},
                  {"type": "indicator", "id": "indicator--1", "pattern_type": "stix",
                   "pattern": "[ipv4-addr:value = '203.0.113.7']"},
                  {"type": "indicator", "id": "indicator--2", "pattern_type": "stix",
                   "pattern": "[domain-name:value = 'c2.example.net' OR url:value = 'http://drop.example.com/x.exe']"},
                  {"type": "indicator", "id": "indicator--3", "pattern": "[ipv6-addr:value = '2001:db8::66']"},
                  {"type": "indicator", "id": "indicator--4", "pattern": "[file:hashes.'SHA-256' = 'abc']"},
                  {"type": "indicator", "id": "indicator--5", "pattern": "[ipv4-addr:value = '192.0.2.1']",
                   "revoked": true},
                  {"type": "indicator", "id": "indicator--6", "pattern": "[ipv4-addr:value = '192.0.2.2']",
                   "valid_until": "2001-01-01T00:00:00Z"}
                ]}""";
        List<Indicators.Problem> problems = new ArrayList<>();
        Indicators.Builder b = new Indicators.Builder();
        int skipped =
                b.readStix("bundle.json", new ByteArrayInputStream(bundle.getBytes(StandardCharsets.UTF_8)), problems);
        Indicators i = b.build();
        assertThat(problems).isEmpty();
        assertThat(skipped).isEqualTo(3);
        assertThat(i.matchIp("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(i.matchIp("2001:db8::66")).isEqualTo("2001:db8::66");
        assertThat(i.matchDomain("c2.example.net")).isEqualTo("c2.example.net");
        assertThat(i.matchDomain("drop.example.com"))
                .as("a URL with a path lists the path")
                .isNull();
        assertThat(i.matchUrl("drop.example.com", "/x.exe")).isEqualTo("drop.example.com/x.exe");
        assertThat(i.matchIp("192.0.2.1")).isNull();
        assertThat(i.matchIp("192.0.2.2")).isNull();
        assertThat(new Indicators.Builder()
                        .readStix(
                                "x.json",
                                new ByteArrayInputStream("{\"objects\": [".getBytes(StandardCharsets.UTF_8)),
                                problems))
                .isZero();
        assertThat(problems)
                .singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("not valid JSON"));
    }

    @Test
    void hundredsOfThousandsOfEntriesStillMatchExactly() {
        Indicators.Builder b = new Indicators.Builder();
        for (int i = 0; i < 200_000; i++) {
            assertThat(b.add("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)))
                    .isNull();
        }
        for (int i = 0; i < 100_000; i++) {
            assertThat(b.add("host" + i + ".bad.example")).isNull();
        }
        b.add("172.16.0.0/12");
        Indicators set = b.build();
        assertThat(set.size()).isEqualTo(300_001);
        assertThat(set.matchIp("10.1.134.159")).isEqualTo("10.1.134.159");
        assertThat(set.matchIp("10.200.0.1")).isNull();
        assertThat(set.matchIp("172.20.1.1")).isEqualTo("172.16.0.0/12");
        assertThat(set.matchDomain("a.host99999.bad.example")).isEqualTo("host99999.bad.example");
        assertThat(set.matchDomain("host100000.bad.example")).isNull();
    }
}
