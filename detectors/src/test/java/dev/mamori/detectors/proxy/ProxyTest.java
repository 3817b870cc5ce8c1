package dev.mamori.detectors.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.Findings;
import dev.mamori.detectors.alert.Language;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.intel.Indicators;
import dev.mamori.detectors.parse.ParseOutcome;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.site.BusinessHours;
import dev.mamori.detectors.site.IpSet;
import dev.mamori.detectors.site.SiteProfile;
import dev.mamori.detectors.state.TimeBasis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ProxyTest {

    static final Instant WORK = Instant.parse("2026-11-27T01:00:00Z"); // Friday 10:00 Tokyo
    static final Instant NIGHT = Instant.parse("2026-11-27T18:00:00Z"); // Saturday 03:00 Tokyo
    static final Clock CLOCK = Clock.fixed(WORK, ZoneOffset.UTC);
    static final SiteProfile SITE = new SiteProfile(
            IpSet.of(List.of("10.0.0.0/8")),
            Set.of(),
            ZoneId.of("Asia/Tokyo"),
            BusinessHours.weekdays(LocalTime.of(8, 0), LocalTime.of(19, 0)),
            List.of(),
            Set.of(),
            Language.EN);
    static final AlertFactory ALERTS = new AlertFactory(MessageCatalog.load(Language.EN), CLOCK);
    static final Indicators INTEL;

    static {
        Indicators.Builder b = new Indicators.Builder();
        b.add("c2.example.net");
        b.add("192.0.2.66");
        INTEL = b.build();
    }

    private final List<Alert> alerts = new ArrayList<>();
    private final ProxyLogParser parser = new ProxyLogParser();

    static ProxyEvent request(String client, String method, String url, String agent, long bytes, Instant at) {
        String[] hp = ProxyEvent.hostPort(method, url);
        return new ProxyEvent(at, client, method, url, hp[0], Integer.parseInt(hp[1]), agent, bytes, 200, "icap", "x");
    }

    /** A request seen inline travels as a mamori log line and reads back as the same request. */
    @Test
    void mamoriLogLineReadsBackAsTheSameRequest() {
        List<ProxyEvent> events = List.of(
                request("10.1.2.3", "POST", "http://up.example.net/in?a=1", "Mozilla/5.0 (X11)", 600_000, WORK),
                request("10.1.2.3", "CONNECT", "up.example.net:8443", "say \"hi\" \\o/", -1, WORK.plusMillis(7)),
                new ProxyEvent(
                        WORK,
                        "10.9.9.9",
                        "GET",
                        "http://a.example/x%20y z",
                        "a.example",
                        80,
                        "",
                        -1,
                        -1,
                        "icap",
                        "GET /"));
        for (ProxyEvent e : events) {
            String line = MamoriLogLine.format(e);
            ProxyEvent back = ((ParseOutcome.Parsed<ProxyEvent>) parser.parse(line, "proxy1", null))
                    .events()
                    .get(0);
            assertThat(back.time()).as(line).isEqualTo(e.time());
            assertThat(back.client()).as(line).isEqualTo(e.client());
            assertThat(back.method()).as(line).isEqualTo(e.method());
            assertThat(back.host()).as(line).isEqualTo(e.host());
            assertThat(back.port()).as(line).isEqualTo(e.port());
            assertThat(back.requestBytes()).as(line).isEqualTo(e.requestBytes());
            assertThat(back.status()).as(line).isEqualTo(e.status());
            assertThat(back.userAgent())
                    .as(line)
                    .isEqualTo(e.userAgent().replace("\\", "%5C").replace("\"", "%22"));
            assertThat(back.isPost()).isEqualTo(e.isPost());
        }
    }

    /** Whether the rule reports a finding on {@code e} (what an inline input decides on). */
    private static boolean finds(Detection<ProxyEvent> d, ProxyEvent e) {
        Findings findings = new Findings(a -> {});
        d.inspect(e, findings);
        return !findings.all().isEmpty();
    }

    @Test
    void parsesSquidNativeMamoriAndCombinedLinesWithOrWithoutSyslogHeaders() {
        ProxyEvent n = parsed("1795836127.725    158 10.1.2.3 TCP_TUNNEL/200 28854 CONNECT www.example.com:8443 - "
                + "HIER_DIRECT/198.51.100.20 -");
        assertThat(n.source()).isEqualTo("squid");
        assertThat(n.client()).isEqualTo("10.1.2.3");
        assertThat(n.method()).isEqualTo("CONNECT");
        assertThat(n.host()).isEqualTo("www.example.com");
        assertThat(n.port()).isEqualTo(8443);
        assertThat(n.userAgent()).isNull();
        assertThat(n.requestBytes()).isEqualTo(-1);
        assertThat(n.time()).isEqualTo(Instant.ofEpochMilli(1795836127725L));

        ProxyEvent m = parsed("<13>Nov 28 10:00:00 squid squid[42]: 1795836127.810    545 10.1.2.4 TCP_MISS/200 768 "
                + "POST http://upload.example.com/post alice HIER_DIRECT/192.0.2.30 application/json 2051 "
                + "\"Mozilla/5.0 (X11; Linux) Firefox/120.0\"");
        assertThat(m.source()).isEqualTo("mamori");
        assertThat(m.requestBytes()).isEqualTo(2051);
        assertThat(m.userAgent()).isEqualTo("Mozilla/5.0 (X11; Linux) Firefox/120.0");
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.port()).isEqualTo(80);

        ProxyEvent c =
                parsed("10.1.2.5 - bob [28/Nov/2026:10:00:00 +0900] \"GET https://c2.example.net/a?b=1 HTTP/1.1\" "
                        + "200 512 \"-\" \"curl/8.5.0\" TCP_MISS:HIER_DIRECT");
        assertThat(c.source()).isEqualTo("combined");
        assertThat(c.host()).isEqualTo("c2.example.net");
        assertThat(c.port()).isEqualTo(443);
        assertThat(c.userAgent()).isEqualTo("curl/8.5.0");
        assertThat(c.time()).isEqualTo(Instant.parse("2026-11-28T01:00:00Z"));
        ProxyEvent noDot =
                parsed("::1 - - [28/Nov/2026:10:00:00 +0900] \"GET http://intranet/ HTTP/2\" 200 5 \"-\" \"x\"");
        assertThat(noDot.host())
                .as("a line without a dot is still a combined line")
                .isEqualTo("intranet");

        assertThat(parser.parse("sshd[1]: Accepted publickey for bob")).isInstanceOf(ParseOutcome.NotMine.class);
        assertThat(parser.parse("1795836127.725 158 10.1.2.3 TCP_MISS/200 1 GET /relative - HIER_NONE/- -"))
                .isInstanceOf(ParseOutcome.Malformed.class);
    }

    private ProxyEvent parsed(String line) {
        ParseOutcome<ProxyEvent> r = parser.parse(line);
        assertThat(r).as(line).isInstanceOf(ParseOutcome.Parsed.class);
        return ((ParseOutcome.Parsed<ProxyEvent>) r).event();
    }

    @Test
    void hostPortOfUrlsAndAuthorities() {
        assertThat(ProxyEvent.hostPort("GET", "http://User@Example.COM:8080/x")).containsExactly("example.com", "8080");
        assertThat(ProxyEvent.hostPort("CONNECT", "[2001:db8::1]:8443")).containsExactly("2001:db8::1", "8443");
        assertThat(ProxyEvent.hostPort("CONNECT", "mail.example.com:25")).containsExactly("mail.example.com", "25");
        assertThat(ProxyEvent.hostPort("GET", "/relative")).isNull();
    }

    @Test
    void c2AccessSubdomainsAndIpsAndOneLevelMoreSevereOffHours() {
        ProxyC2Access d = new ProxyC2Access(() -> INTEL, SITE, ALERTS, ObserverInput.ICAP, CLOCK);
        d.inspect(request("10.1.2.3", "GET", "http://www.c2.example.net/beacon", "curl/8", -1, WORK), alerts::add);
        d.inspect(request("10.1.2.3", "CONNECT", "192.0.2.66:443", "curl/8", -1, NIGHT), alerts::add);
        d.inspect(request("10.1.2.3", "GET", "http://notc2.example.net/", "curl/8", -1, WORK), alerts::add);
        d.inspect(request("10.1.2.3", "GET", "http://example.net/", "curl/8", -1, WORK), alerts::add);
        assertThat(alerts).extracting(Alert::severity).containsExactly(Severity.HIGH, Severity.CRITICAL);
        assertThat(alerts.get(0).message()).isEqualTo("Client 10.1.2.3 accessed known C&C destination c2.example.net");
        assertThat(alerts.get(1).message())
                .isEqualTo("Client 10.1.2.3 accessed known C&C destination 192.0.2.66" + " outside business hours");
        assertThat(finds(d, request("10.1.2.3", "GET", "http://x.c2.example.net/", "a", -1, WORK)))
                .isTrue();
    }

    @Test
    void connectToNonStandardPorts() {
        ProxyConnectNonstandardPort d =
                new ProxyConnectNonstandardPort(Set.of(80, 443), ALERTS, ObserverInput.ICAP, CLOCK);
        d.inspect(request("10.1.2.3", "CONNECT", "www.example.com:443", "a", -1, WORK), alerts::add);
        d.inspect(request("10.1.2.3", "GET", "http://www.example.com:8080/", "a", -1, WORK), alerts::add);
        d.inspect(request("10.1.2.3", "CONNECT", "mail.example.com:25", "a", -1, WORK), alerts::add);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.message()).isEqualTo("Client 10.1.2.3 sent CONNECT to mail.example.com:25");
            assertThat(a.field(AlertField.DESTINATION_PORT)).isEqualTo(25L);
        });
    }

    @Test
    void unknownUserAgentsOncePerClientAndAgentPerWindow() {
        ProxyUnknownUserAgent d = new ProxyUnknownUserAgent(
                () -> List.of(Pattern.compile("Mozilla/5\\.0 .*")),
                Duration.ofHours(1),
                1000,
                ALERTS,
                ObserverInput.ICAP,
                CLOCK);
        d.inspect(
                request("10.1.2.3", "GET", "http://a.example/", "Mozilla/5.0 (Windows NT 10.0)", -1, WORK),
                alerts::add);
        d.inspect(request("10.1.2.3", "GET", "http://a.example/", null, -1, WORK), alerts::add);
        assertThat(alerts).isEmpty();
        for (int i = 0; i < 5; i++) {
            d.inspect(
                    request("10.1.2.3", "GET", "http://a.example/", "EvilBot/6.6", -1, WORK.plusSeconds(i)),
                    alerts::add);
        }
        d.inspect(request("10.1.2.4", "GET", "http://a.example/", "EvilBot/6.6", -1, WORK), alerts::add);
        d.inspect(request("10.1.2.3", "GET", "http://a.example/", "", -1, WORK), alerts::add);
        d.inspect(
                request("10.1.2.3", "GET", "http://a.example/", "EvilBot/6.6", -1, WORK.plus(Duration.ofHours(2))),
                alerts::add);
        assertThat(alerts)
                .extracting(Alert::message)
                .containsExactly(
                        "Client 10.1.2.3 used user agent \"EvilBot/6.6\", which matches no allowed pattern",
                        "Client 10.1.2.4 used user agent \"EvilBot/6.6\", which matches no allowed pattern",
                        "Client 10.1.2.3 used user agent \"(none)\", which matches no allowed pattern",
                        "Client 10.1.2.3 used user agent \"EvilBot/6.6\", which matches no allowed pattern");
        assertThat(finds(d, request("10.1.2.3", "GET", "http://a.example/", "EvilBot/6.6", -1, WORK)))
                .isTrue();
    }

    @Test
    void allowedAgentPatternsAreSearchedAsSquidsBrowserAclDoesAndAnchorsHold() {
        List<Pattern> patterns = List.of(
                Pattern.compile("^curl/"),
                Pattern.compile("^Mozilla/5\\.0 \\(Windows NT 10\\.0; Win64; x64\\).*Chrome/"),
                Pattern.compile("Edg/1\\d\\d$"));
        ProxyUnknownUserAgent d =
                new ProxyUnknownUserAgent(() -> patterns, Duration.ofHours(1), 1000, ALERTS, ObserverInput.ICAP, CLOCK);
        String chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/131.0.0.0 Safari/537.36";
        for (int i = 0; i < 400; i++) {
            d.inspect(
                    request(
                            "10.1.2." + (i % 200),
                            "GET",
                            "http://a.example/" + i,
                            i % 2 == 0 ? chrome : "curl/8.5.0",
                            -1,
                            WORK.plusSeconds(i)),
                    alerts::add);
        }
        assertThat(alerts).isEmpty();
        assertThat(finds(
                        d,
                        request("10.1.2.3", "GET", "http://a.example/", "Mozilla/5.0 (X11; Linux) Edg/120", -1, WORK)))
                .as("searched, not matched whole")
                .isFalse();
        // anchors still anchor: not at the start, not at the end
        assertThat(finds(d, request("10.1.2.3", "GET", "http://a.example/", "evil curl/8.5.0", -1, WORK)))
                .isTrue();
        assertThat(finds(d, request("10.1.2.3", "GET", "http://a.example/", "x Edg/120 y", -1, WORK)))
                .isTrue();
        assertThat(finds(
                        d,
                        request(
                                "10.1.2.3",
                                "GET",
                                "http://a.example/",
                                "Mozilla/5.0 (X11; Linux x86_64)" + " Chrome/131.0",
                                -1,
                                WORK)))
                .isTrue();
    }

    /** Verdicts kept per agent follow a reloaded list, and past the number kept agents are still searched. */
    @Test
    void keptAgentVerdictsFollowAReloadedListAndStayBounded() {
        AtomicReference<List<Pattern>> list = new AtomicReference<>(List.of(Pattern.compile("^curl/")));
        ProxyUnknownUserAgent d =
                new ProxyUnknownUserAgent(list::get, Duration.ofHours(1), 1000, ALERTS, ObserverInput.ICAP, CLOCK);
        ProxyEvent curl = request("10.1.2.3", "GET", "http://a.example/", "curl/8.5.0", -1, WORK);
        ProxyEvent wget = request("10.1.2.3", "GET", "http://a.example/", "Wget/1.21", -1, WORK);
        assertThat(finds(d, curl)).isFalse();
        assertThat(finds(d, wget)).isTrue();
        assertThat(finds(d, wget)).as("kept").isTrue();
        list.set(List.of(Pattern.compile("^Wget/")));
        assertThat(finds(d, curl)).as("after the reload").isTrue();
        assertThat(finds(d, wget)).as("after the reload").isFalse();
        for (int i = 0; i < ProxyUnknownUserAgent.MAX_VERDICTS + 10; i++) {
            String agent = i % 2 == 0 ? "Wget/" + i : "Bot/" + i;
            assertThat(finds(d, request("10.1.2.3", "GET", "http://a.example/", agent, -1, WORK)))
                    .as(agent)
                    .isEqualTo(i % 2 != 0);
        }
        assertThat(finds(d, request("10.1.2.3", "GET", "http://a.example/", "Wget/new", -1, WORK)))
                .isFalse();
        assertThat(finds(d, request("10.1.2.3", "GET", "http://a.example/", "Bot/new", -1, WORK)))
                .isTrue();
    }

    @Test
    void unknownAgentWindowsStayBoundedAndWhatCannotBeTrackedIsCounted() {
        ProxyUnknownUserAgent d =
                new ProxyUnknownUserAgent(List::of, Duration.ofHours(1), 2, ALERTS, ObserverInput.ICAP, CLOCK);
        for (int i = 0; i < 3; i++) {
            d.inspect(request("10.1.2." + i, "GET", "http://a.example/", "EvilBot/6.6", -1, WORK), alerts::add);
        }
        assertThat(alerts).as("every new pair alerts, tracked or not").hasSize(3);
        assertThat(d.trackedKeys()).isEqualTo(2);
        assertThat(d.keysDropped()).isEqualTo(1);
        d.tick(WORK.plus(Duration.ofHours(2)), alerts::add);
        assertThat(d.trackedKeys()).isZero();
    }

    @Test
    void theShippedAllowListStillAllowsTheBrowsersItNamesAndNothingElse() throws Exception {
        List<Pattern> shipped = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("..", "config", "intel", "allowed-user-agents.txt"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                shipped.add(Pattern.compile(line.strip()));
            }
        }
        ProxyUnknownUserAgent d =
                new ProxyUnknownUserAgent(() -> shipped, Duration.ofHours(1), 1000, ALERTS, ObserverInput.ICAP, CLOCK);
        for (String ok : List.of(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0"
                        + " Safari/537.36",
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0"
                        + " Safari/537.36 Edg/131.0.0.0",
                "Microsoft-CryptoAPI/10.0",
                "Windows-Update-Agent/10.0.10011.16384 Client-Protocol/2.50")) {
            assertThat(finds(d, request("10.1.2.3", "GET", "http://a.example/", ok, -1, WORK)))
                    .as(ok)
                    .isFalse();
        }
        for (String bad : List.of(
                "curl/8.5.0",
                "python-requests/2.31.0",
                "x Microsoft-CryptoAPI/10.0",
                "Mozilla/5.0 (Windows NT 6.1) Chrome/49.0",
                "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1)")) {
            assertThat(finds(d, request("10.1.2.3", "GET", "http://a.example/", bad, -1, WORK)))
                    .as(bad)
                    .isTrue();
        }
    }

    @Test
    void aClientsStreakMovesToAnotherInstanceWithItsPartition() {
        ProxyC2DailyAccess one = new ProxyC2DailyAccess(
                () -> INTEL, 3, SITE.timezone(), 1000, ALERTS, TimeBasis.EVENT, CLOCK, ObserverInput.FILE);
        Instant day1 = Instant.parse("2026-11-24T01:00:00Z");
        for (String client : List.of("10.1.2.3", "10.7.7.7")) {
            for (int d = 0; d < 2; d++) {
                one.inspect(
                        request(client, "GET", "http://c2.example.net/", "a", -1, day1.plus(Duration.ofDays(d))),
                        alerts::add);
            }
        }
        ProxyC2DailyAccess other = new ProxyC2DailyAccess(
                () -> INTEL, 3, SITE.timezone(), 1000, ALERTS, TimeBasis.EVENT, CLOCK, ObserverInput.FILE);
        other.restore(one.snapshot("10.1.2.3"::equals));
        assertThat(other.trackedKeys()).isEqualTo(1);
        Instant day3 = day1.plus(Duration.ofDays(2));
        other.inspect(request("10.1.2.3", "GET", "http://c2.example.net/", "a", -1, day3), alerts::add);
        other.inspect(request("10.7.7.7", "GET", "http://c2.example.net/", "a", -1, day3), alerts::add);
        assertThat(alerts)
                .as("only the moved client's streak carried over")
                .singleElement()
                .satisfies(a -> assertThat(a.field(AlertField.SOURCE_IP)).isEqualTo("10.1.2.3"));
    }

    @Test
    void aUrlIndicatorFlagsItsPathNotItsWholeHost() {
        Indicators.Builder b = new Indicators.Builder();
        b.add("http://shared.example/~mallory/");
        Indicators urls = b.build();
        ProxyC2Access d = new ProxyC2Access(() -> urls, SITE, ALERTS, ObserverInput.ICAP, CLOCK);
        d.inspect(request("10.1.2.3", "GET", "http://shared.example/~alice/", "a", -1, WORK), alerts::add);
        d.inspect(request("10.1.2.3", "CONNECT", "shared.example:443", "a", -1, WORK), alerts::add);
        assertThat(alerts).isEmpty();
        d.inspect(request("10.1.2.4", "GET", "http://shared.example/~mallory/beacon?id=7", "a", -1, WORK), alerts::add);
        assertThat(alerts)
                .singleElement()
                .satisfies(a -> assertThat(a.message())
                        .isEqualTo("Client 10.1.2.4 accessed known C&C destination shared.example/~mallory/"));
    }

    @Test
    void dailyAccessOnConsecutiveDaysSurvivingARestart() {
        ProxyC2DailyAccess d = new ProxyC2DailyAccess(
                () -> INTEL, 3, SITE.timezone(), 1000, ALERTS, TimeBasis.EVENT, CLOCK, ObserverInput.FILE);
        Instant day1 = Instant.parse("2026-11-24T01:00:00Z");
        d.inspect(request("10.1.2.3", "GET", "http://c2.example.net/", "a", -1, day1), alerts::add);
        d.inspect(request("10.1.2.3", "GET", "http://c2.example.net/", "a", -1, day1.plusSeconds(60)), alerts::add);
        d.inspect(
                request("10.1.2.3", "GET", "http://c2.example.net/", "a", -1, day1.plus(Duration.ofDays(1))),
                alerts::add);
        ProxyC2DailyAccess restarted = new ProxyC2DailyAccess(
                () -> INTEL, 3, SITE.timezone(), 1000, ALERTS, TimeBasis.EVENT, CLOCK, ObserverInput.FILE);
        restarted.restore(d.snapshot());
        assertThat(alerts).isEmpty();
        restarted.inspect(
                request("10.1.2.3", "GET", "http://www.c2.example.net/", "a", -1, day1.plus(Duration.ofDays(2))),
                alerts::add);
        restarted.inspect(
                request(
                        "10.1.2.3",
                        "GET",
                        "http://c2.example.net/",
                        "a",
                        -1,
                        day1.plus(Duration.ofDays(2)).plusSeconds(5)),
                alerts::add);
        assertThat(alerts)
                .singleElement()
                .satisfies(a -> assertThat(a.message())
                        .isEqualTo("Client 10.1.2.3 accessed C&C destination c2.example.net on 3 consecutive days"));
        // a gap restarts the count
        alerts.clear();
        restarted.inspect(request("10.1.2.9", "GET", "http://c2.example.net/", "a", -1, day1), alerts::add);
        restarted.inspect(
                request("10.1.2.9", "GET", "http://c2.example.net/", "a", -1, day1.plus(Duration.ofDays(2))),
                alerts::add);
        restarted.inspect(
                request("10.1.2.9", "GET", "http://c2.example.net/", "a", -1, day1.plus(Duration.ofDays(3))),
                alerts::add);
        assertThat(alerts).isEmpty();
    }

    @Test
    void exfiltrationPostThenConnectsPastTheThreshold() {
        ProxyExfiltration d = new ProxyExfiltration(
                10_000, Duration.ofHours(1), 1000, ALERTS, TimeBasis.EVENT, CLOCK, ObserverInput.FILE);
        d.inspect(request("10.1.2.3", "POST", "http://upload.example.com/start", "a", 2_000, WORK), alerts::add);
        d.inspect(request("10.1.2.3", "POST", "http://upload.example.com/start", "a", -1, WORK), alerts::add);
        d.inspect(
                request("10.1.2.3", "CONNECT", "upload.example.com:443", "a", 5_000, WORK.plusSeconds(10)),
                alerts::add);
        d.inspect(request("10.1.2.3", "GET", "http://upload.example.com/", "a", -1, WORK.plusSeconds(10)), alerts::add);
        d.inspect(
                request("10.1.2.3", "CONNECT", "other.example.com:443", "a", 50_000, WORK.plusSeconds(11)),
                alerts::add);
        assertThat(alerts).isEmpty();
        d.inspect(
                request("10.1.2.3", "CONNECT", "upload.example.com:443", "a", 4_000, WORK.plusSeconds(20)),
                alerts::add);
        d.inspect(
                request("10.1.2.3", "CONNECT", "upload.example.com:443", "a", 4_000, WORK.plusSeconds(30)),
                alerts::add);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.message())
                    .isEqualTo("Client 10.1.2.3 sent 11000 bytes to upload.example.com (POST followed by"
                            + " CONNECT) within 1 h");
            assertThat(a.field(AlertField.EVENT_COUNT)).isEqualTo(11_000L);
        });
    }

    @Test
    void exfiltrationNeedsThePostTheSameHostAndTheWindow() {
        ProxyExfiltration d = new ProxyExfiltration(
                10_000, Duration.ofHours(1), 1000, ALERTS, TimeBasis.EVENT, CLOCK, ObserverInput.FILE);
        d.inspect(request("10.1.2.3", "CONNECT", "upload.example.com:443", "a", 50_000, WORK), alerts::add);
        d.inspect(request("10.1.2.3", "POST", "http://upload.example.com/", "a", 1_000, WORK), alerts::add);
        d.inspect(request("10.1.2.3", "GET", "http://upload.example.com/", "a", 100, WORK), alerts::add);
        d.inspect(request("10.1.2.3", "CONNECT", "upload.example.com:443", "a", 50_000, WORK), alerts::add);
        d.inspect(request("10.1.2.3", "POST", "http://upload.example.com/", "a", 1_000, WORK), alerts::add);
        d.inspect(
                request("10.1.2.3", "CONNECT", "upload.example.com:443", "a", 50_000, WORK.plus(Duration.ofHours(2))),
                alerts::add);
        assertThat(alerts).isEmpty();
    }
}
