package dev.mamori.sensor.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.Language;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.firewall.Direction;
import dev.mamori.detectors.firewall.FirewallAction;
import dev.mamori.detectors.firewall.FirewallEvent;
import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.detectors.sensor.SensorEvent;
import dev.mamori.detectors.site.SiteProfile;
import dev.mamori.detectors.state.TimeBasis;
import dev.mamori.detectors.windows.WindowsEvent;
import dev.mamori.sensor.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReviewBookTest {

    /** 2026-12-01 10:00 in Tokyo, a Tuesday within business hours. */
    static final Instant TUESDAY_10 = Instant.parse("2026-12-01T01:00:00Z");

    static final Instant TUESDAY_23 = Instant.parse("2026-12-01T14:00:00Z");
    static final LocalDate TUESDAY = LocalDate.of(2026, 12, 1);

    @TempDir
    Path dir;

    SiteProfile site;

    @BeforeEach
    void site() throws Exception {
        Files.writeString(dir.resolve("mamori.yaml"), "site: {timezone: Asia/Tokyo}\n");
        site = ConfigLoader.load(dir.resolve("mamori.yaml")).site();
    }

    static FirewallEvent firewall(FirewallAction action, String src, String dst, int port, Instant at) {
        return new FirewallEvent(
                at, "fw1", "fortigate", action, "tcp", src, 50000, dst, port, "internal", "wan1", 100, "line");
    }

    static ProxyEvent proxy(String method, String url, String host, int port, String agent, long bytes, Instant at) {
        return new ProxyEvent(at, "10.1.2.3", method, url, host, port, agent, bytes, 200, "squid", "line");
    }

    static WindowsEvent logon(int id, String user, String ip, Instant at) {
        return new WindowsEvent(
                id,
                "Microsoft-Windows-Security-Auditing",
                "Security",
                "DC01",
                at,
                1,
                Map.of("TargetUserName", user, "IpAddress", ip, "Status", id == 4625 ? "0xc000006d" : "0x0"),
                "xml",
                "<Event/>");
    }

    static Alert alert(Severity severity, Instant at) {
        return new AlertFactory(MessageCatalog.load(Language.EN), Clock.systemUTC())
                .alert(new Rule("fw.connect_back", severity, null), ObserverInput.SYSLOG)
                .at(at)
                .field(AlertField.INCIDENT_ID, "INC-1")
                .args("10.1.2.3", "198.51.100.7", 4444, 3)
                .build();
    }

    /** A day with a bit of everything, as the sensor would feed it. */
    static void oneDay(ReviewBook book, Instant morning, Instant night) {
        book.firewall(
                firewall(FirewallAction.ALLOW, "10.1.2.3", "198.51.100.7", 443, morning), Direction.OUTBOUND, morning);
        book.firewall(
                firewall(FirewallAction.DENY, "10.1.2.3", "198.51.100.7", 4444, morning), Direction.OUTBOUND, morning);
        book.firewall(
                firewall(FirewallAction.DENY, "10.1.2.9", "198.51.100.7", 4444, night), Direction.OUTBOUND, night);
        book.firewall(firewall(FirewallAction.DENY, "198.51.100.7", "10.1.2.3", 22, night), Direction.INBOUND, night);
        book.proxy(
                proxy("GET", "http://www.example.com/", "www.example.com", 80, "Mozilla/5.0", 300, morning), morning);
        book.proxy(
                proxy("CONNECT", "files.example.net:8443", "files.example.net", 8443, "EvilBot/1", 5000, night), night);
        book.windows(logon(4624, "alice", "10.1.2.3", morning), morning);
        book.windows(logon(4625, "alice", "10.1.2.4", night), night);
        book.windows(logon(4624, "PC01$", "10.1.2.3", morning), morning);
        book.windows(logon(4769, "bob", "10.1.2.3", morning), morning);
        book.alert(alert(Severity.HIGH, night));
    }

    @Test
    void aDayGathersTheGuidesFigures() {
        ReviewBook book = new ReviewBook(site, TimeBasis.EVENT, Clock.systemUTC(), null, 30, 3);
        oneDay(book, TUESDAY_10, TUESDAY_23);
        DayData d = book.day(TUESDAY).orElseThrow();
        assertThat(d.firewallEvents()).isEqualTo(4);
        assertThat(d.allowedByHour()[10]).isEqualTo(1);
        assertThat(d.deniedByHour()[10]).isEqualTo(1);
        assertThat(d.deniedByHour()[23]).isEqualTo(2);
        assertThat(d.deniedOutbound()).isEqualTo(2);
        assertThat(d.deniedOutboundSources()).containsOnly(Map.entry("10.1.2.3", 1L), Map.entry("10.1.2.9", 1L));
        assertThat(d.destinationPorts()).containsOnly(Map.entry("443", 1L), Map.entry("4444", 2L));
        assertThat(d.learning()).isTrue();
        assertThat(d.newDestinationPorts())
                .as("nothing is new on the first day")
                .isEmpty();

        assertThat(d.proxyRequests()).isEqualTo(2);
        assertThat(d.proxyByHour()[23]).isEqualTo(1);
        assertThat(d.offHoursRequests()).isEqualTo(1);
        assertThat(d.offHoursClients()).containsOnly(Map.entry("10.1.2.3", 1L));
        assertThat(d.connectPorts()).containsOnly(Map.entry("8443", 1L));
        assertThat(d.uploadBytes()).containsOnly(Map.entry("10.1.2.3", 5300L));
        assertThat(d.userAgents()).containsOnly(Map.entry("Mozilla/5.0", 1L), Map.entry("EvilBot/1", 1L));

        assertThat(d.authentications())
                .as("computer accounts and service tickets left out")
                .isEqualTo(2);
        assertThat(d.authFailures()).isEqualTo(1);
        assertThat(d.accounts()).containsOnlyKeys("alice");
        assertThat(d.accounts().get("alice"))
                .isEqualTo(new DayData.AccountDay(1, 1, 1, List.of("10.1.2.3", "10.1.2.4")));

        assertThat(d.alertsBySeverity()).containsOnly(Map.entry("high", 1L));
        assertThat(d.alerts()).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo("fw.connect_back");
            assertThat(a.incident()).isEqualTo("INC-1");
        });
    }

    @Test
    void aClosedDayIsAnnouncedOnceKeptOnDiskAndTheNextDayMarksWhatIsNew() {
        Path reviews = dir.resolve("reviews");
        ReviewBook book = new ReviewBook(site, TimeBasis.EVENT, Clock.systemUTC(), reviews, 30, 3);
        oneDay(book, TUESDAY_10, TUESDAY_23);
        assertThat(book.tick(TUESDAY_23)).isEmpty();

        Instant wednesday = TUESDAY_10.plusSeconds(86_400);
        List<SensorEvent.DayClosed> closed = book.tick(wednesday);
        assertThat(closed).singleElement().satisfies(c -> {
            assertThat(c.date()).isEqualTo(TUESDAY);
            assertThat(c.firewallEvents()).isEqualTo(4);
            assertThat(c.deniedOutbound()).isEqualTo(2);
            assertThat(c.proxyRequests()).isEqualTo(2);
            assertThat(c.authentications()).isEqualTo(2);
            assertThat(c.authFailures()).isEqualTo(1);
            assertThat(c.alerts()).isEqualTo(1);
        });
        assertThat(book.tick(wednesday.plusSeconds(60))).as("announced once").isEmpty();
        assertThat(reviews.resolve("2026-12-01.json")).exists();

        // the second day: the port 8080 and the agent never seen before are marked
        book.firewall(
                firewall(FirewallAction.ALLOW, "10.1.2.3", "198.51.100.8", 8080, wednesday),
                Direction.OUTBOUND,
                wednesday);
        book.firewall(
                firewall(FirewallAction.ALLOW, "10.1.2.3", "198.51.100.8", 443, wednesday),
                Direction.OUTBOUND,
                wednesday);
        book.proxy(proxy("GET", "http://a.example/", "a.example", 80, "NewAgent/2", 0, wednesday), wednesday);
        book.proxy(proxy("GET", "http://a.example/", "a.example", 80, "Mozilla/5.0", 0, wednesday), wednesday);
        DayData wed = book.day(LocalDate.of(2026, 12, 2)).orElseThrow();
        assertThat(wed.learning()).isFalse();
        assertThat(wed.newDestinationPorts()).containsExactly("8080");
        assertThat(wed.newUserAgents()).containsExactly("NewAgent/2");
        book.save();

        // after a restart: both days read back, Tuesday still announced, Wednesday still being filled
        ReviewBook again = new ReviewBook(site, TimeBasis.EVENT, Clock.systemUTC(), reviews, 30, 3);
        assertThat(again.day(TUESDAY).orElseThrow().firewallEvents()).isEqualTo(4);
        assertThat(again.tick(wednesday.plusSeconds(120))).isEmpty();
        again.proxy(proxy("GET", "http://a.example/", "a.example", 80, "NewAgent/2", 0, wednesday), wednesday);
        DayData wedAgain = again.day(LocalDate.of(2026, 12, 2)).orElseThrow();
        assertThat(wedAgain.proxyRequests()).isEqualTo(3);
        assertThat(wedAgain.newUserAgents()).containsExactly("NewAgent/2");

        DayData week =
                again.period(TUESDAY.minusDays(5), LocalDate.of(2026, 12, 2)).orElseThrow();
        assertThat(week.firewallEvents()).isEqualTo(6);
        assertThat(week.proxyRequests()).isEqualTo(5);
        assertThat(again.period(TUESDAY.minusDays(30), TUESDAY.minusDays(20))).isEmpty();
    }

    @Test
    void liveAnAlertAboutAnOldEventCountsOnTheDayItArrived() {
        Clock wednesday = Clock.fixed(TUESDAY_10.plusSeconds(86_400), java.time.ZoneOffset.UTC);
        ReviewBook book = new ReviewBook(site, TimeBasis.ARRIVAL, wednesday, null, 30, 3);
        book.alert(alert(Severity.HIGH, TUESDAY_10.minusSeconds(86_400 * 5)));
        assertThat(book.openDates()).containsExactly(LocalDate.of(2026, 12, 2));
        assertThat(book.tick(wednesday.instant())).as("no old day to announce").isEmpty();
    }

    @Test
    void tablesAreBoundedAndCountTheRestAsOther() {
        TopCounts counts = new TopCounts(3);
        for (int port = 1; port <= 10; port++) {
            counts.add(String.valueOf(port), port);
        }
        assertThat(counts.toMap())
                .containsOnly(
                        Map.entry("1", 1L), Map.entry("2", 2L), Map.entry("3", 3L), Map.entry(TopCounts.OTHER, 49L));
        assertThat(counts.top(2)).extracting(Map.Entry::getKey).containsExactly("3", "2", TopCounts.OTHER);
    }
}
