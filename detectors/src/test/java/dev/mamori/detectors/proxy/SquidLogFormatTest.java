package dev.mamori.detectors.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mamori.detectors.parse.ParseOutcome;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SquidLogFormatTest {

    /** A common extended format: ports, HTTP version, referer and host columns. */
    static final String EXTENDED = "%ts.%03tu %6tr %>a %>p %Ss/%03>Hs %<st %>st %<sh %>sh %tr %rm %ru %rv %[un"
            + " %Sh/%<a %<p %mt \"%{Referer}>h\" \"%{User-Agent}>h\" \"%{Host}>h\"";

    static final List<String> LINES = List.of(
            "1795836127.725    158 10.1.2.3 51234 TCP_MISS/200 5120 734 320 412 158 GET"
                    + " http://www.example.com/index.html HTTP/1.1 - HIER_DIRECT/192.0.2.34 80 text/html \"-\""
                    + " \"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0\" \"www.example.com\"",
            "1795836128.001     12 10.1.2.4 51300 TCP_TUNNEL/200 48211 517 - - 12 CONNECT upload.example.net:8443"
                    + " HTTP/1.1 alice HIER_DIRECT/198.51.100.9 8443 - \"-\" \"curl/8.5.0\" \"upload.example.net:8443\"",
            "1795836128.450     30 10.1.2.5 51301 TCP_DENIED/403 3900 640 310 390 30 POST"
                    + " http://c2.example.net/gate.php HTTP/1.0 - HIER_NONE/- - text/html \"http://a.example/\""
                    + " \"EvilBot/6.6\" \"c2.example.net\"",
            "1795836129.999      1 10.1.2.6 51302 TCP_MEM_HIT/304 210 402 210 392 1 GET"
                    + " http://static.example.org/a.css HTTP/1.1 - HIER_NONE/- - text/css \"-\" \"\" \"static.example.org\"");

    @Test
    void anExtendedFormatReadsEveryLineOfItsOwn() {
        ProxyLogParser builtIn = new ProxyLogParser();
        assertThat(LINES)
                .as("the built-in formats alone do not read these")
                .allSatisfy(l -> assertThat(builtIn.parse(l)).isNotInstanceOf(ParseOutcome.Parsed.class));
        ProxyLogParser parser = new ProxyLogParser(List.of(SquidLogFormat.compile(EXTENDED)));
        List<ProxyEvent> events = LINES.stream()
                .map(parser::parse)
                .map(o -> ((ParseOutcome.Parsed<ProxyEvent>) o).event())
                .toList();
        assertThat(events).extracting(ProxyEvent::source).containsOnly("squid_logformat");
        ProxyEvent first = events.get(0);
        assertThat(first.time()).isEqualTo(Instant.ofEpochMilli(1795836127725L));
        assertThat(first.client()).isEqualTo("10.1.2.3");
        assertThat(first.method()).isEqualTo("GET");
        assertThat(first.host()).isEqualTo("www.example.com");
        assertThat(first.userAgent()).isEqualTo("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0");
        assertThat(first.requestBytes()).isEqualTo(734);
        assertThat(first.status()).isEqualTo(200);
        ProxyEvent tunnel = events.get(1);
        assertThat(tunnel.isConnect()).isTrue();
        assertThat(tunnel.port()).isEqualTo(8443);
        assertThat(tunnel.userAgent()).isEqualTo("curl/8.5.0");
        assertThat(events.get(2).userAgent()).isEqualTo("EvilBot/6.6");
        assertThat(events.get(3).userAgent())
                .as("an empty agent is still an agent")
                .isEmpty();
        // a built-in line still reads after the site's own formats
        assertThat(parser.parse("1795836127.725    158 10.1.2.3 TCP_TUNNEL/200 28854 CONNECT www.example.com:8443 -"
                        + " HIER_DIRECT/198.51.100.20 -"))
                .isInstanceOf(ParseOutcome.Parsed.class);
    }

    @Test
    void unknownCodesAndFormatsTheRulesCannotUseAreRefusedByName() {
        assertThatThrownBy(() -> SquidLogFormat.compile("%ts %>a %rm %ru %zzz"))
                .hasMessageStartingWith("unknown format code %zzz");
        assertThatThrownBy(() -> SquidLogFormat.compile("%ts %rm %ru")).hasMessageContaining("client address (%>a)");
        assertThatThrownBy(() -> SquidLogFormat.compile("%>a %rm %ru")).hasMessageContaining("no time");
        SquidLogFormat clf = SquidLogFormat.compile("%>a %[ui %[un [%tl] \"%rm %ru HTTP/%rv\" %>Hs %<st");
        assertThat(clf.hasUserAgent()).isFalse();
        ProxyEvent e = clf.read(
                "10.1.2.5 - bob [28/Nov/2026:10:00:00 +0900] \"GET https://c2.example.net/a HTTP/1.1\"" + " 200 512",
                "x");
        assertThat(e.time()).isEqualTo(Instant.parse("2026-11-28T01:00:00Z"));
        assertThat(e.userAgent()).as("the format records none").isNull();
    }
}
