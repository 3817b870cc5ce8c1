package dev.mamori.detectors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.Findings;
import dev.mamori.detectors.alert.Language;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.firewall.FirewallAction;
import dev.mamori.detectors.firewall.FirewallEvent;
import dev.mamori.detectors.firewall.FwC2Communication;
import dev.mamori.detectors.firewall.FwConnectBack;
import dev.mamori.detectors.firewall.FwLateralAdmin;
import dev.mamori.detectors.intel.Indicators;
import dev.mamori.detectors.mail.MailDisplayNameSpoof;
import dev.mamori.detectors.mail.MailExecutableAttachment;
import dev.mamori.detectors.mail.MailMessage;
import dev.mamori.detectors.proxy.ProxyC2Access;
import dev.mamori.detectors.proxy.ProxyC2DailyAccess;
import dev.mamori.detectors.proxy.ProxyConnectNonstandardPort;
import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.detectors.proxy.ProxyExfiltration;
import dev.mamori.detectors.proxy.ProxyUnknownUserAgent;
import dev.mamori.detectors.registry.Rules;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.sensor.SensorClockSkew;
import dev.mamori.detectors.sensor.SensorDailyReview;
import dev.mamori.detectors.sensor.SensorEvent;
import dev.mamori.detectors.sensor.SensorSourceSilent;
import dev.mamori.detectors.site.AdDomain;
import dev.mamori.detectors.site.BusinessHours;
import dev.mamori.detectors.site.IpSet;
import dev.mamori.detectors.site.SiteProfile;
import dev.mamori.detectors.state.TimeBasis;
import dev.mamori.detectors.windows.AccountLists;
import dev.mamori.detectors.windows.AdAccountCreated;
import dev.mamori.detectors.windows.AdAuthFailureBurst;
import dev.mamori.detectors.windows.AdAuthSpike;
import dev.mamori.detectors.windows.AdForgedTicket;
import dev.mamori.detectors.windows.AdLogCleared;
import dev.mamori.detectors.windows.AdMs14068;
import dev.mamori.detectors.windows.AdNewAccountHost;
import dev.mamori.detectors.windows.AdOffHoursAuth;
import dev.mamori.detectors.windows.AdPrivilegedGroupChange;
import dev.mamori.detectors.windows.AdScheduledTask;
import dev.mamori.detectors.windows.AdUnexpectedAccountHost;
import dev.mamori.detectors.windows.AdUnexpectedPrivilege;
import dev.mamori.detectors.windows.WindowsEvent;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * With {@code site.language: ja} every text a person reads is Japanese: each rule's alerts (every
 * wording, and the words detections put into messages) and the block reasons carry none of the
 * English catalog's phrases, nor English words of their own.
 */
class JapaneseAlertsTest {

    /** Saturday 03:00 in Tokyo: off hours, so the off-hours wordings are rendered too. */
    private static final Instant NIGHT = Instant.parse("2026-11-27T18:00:00Z");

    private static final Clock CLOCK = Clock.fixed(NIGHT, ZoneOffset.UTC);
    private static final SiteProfile SITE = new SiteProfile(
            IpSet.of(List.of("10.0.0.0/8")),
            Set.of("untrust"),
            ZoneId.of("Asia/Tokyo"),
            BusinessHours.weekdays(LocalTime.of(8, 0), LocalTime.of(19, 0)),
            List.of(new AdDomain("CORP", "corp.example.com")),
            Set.of("administrator"),
            Language.JA);
    private static final AlertFactory JA = new AlertFactory(MessageCatalog.load(Language.JA), CLOCK);
    private static final ObserverInput IN = ObserverInput.SYSLOG;

    private final List<Alert> alerts = new ArrayList<>();

    @Test
    void everyRulesAlertsAndBlockReasonsAreJapanese() throws Exception {
        renderEveryRule();
        Set<String> rules = new TreeSet<>();
        alerts.forEach(a -> rules.add(a.ruleId()));
        assertThat(rules).as("every rule rendered").hasSize(Rules.ALL.size());

        List<String> english = englishPhrases();
        assertThat(english).as("phrases to look for").hasSizeGreaterThan(50);
        List<String> texts = new ArrayList<>();
        for (Alert a : alerts) {
            texts.add(a.ruleId() + " name: " + a.ruleName());
            texts.add(a.ruleId() + " message: " + a.message());
            texts.add(a.ruleId() + " recommendation: " + a.recommendation());
        }
        texts.addAll(blockReasons());
        // Two English words in a row, outside the event's own values (which this test keeps to
        // addresses, names and single tokens), betray an English fragment.
        Pattern words = Pattern.compile("\\b[A-Za-z]{2,} [a-z]{2,}\\b");
        for (String t : texts) {
            // attack names Japanese texts use as they are
            String body = t.substring(t.indexOf(": ") + 2)
                    .replace("Golden Ticket", "")
                    .replace("Silver Ticket", "");
            for (String phrase : english) {
                assertThat(body).as(t).doesNotContain(phrase);
            }
            assertThat(words.matcher(body).find()).as("English words in: " + t).isFalse();
        }
    }

    @Test
    void theEnglishCatalogPassesTheSameCheckTheOtherWay() throws Exception {
        // guards the test itself: the phrases it looks for are found in English alerts
        AlertFactory en = new AlertFactory(MessageCatalog.load(Language.EN), CLOCK);
        List<Alert> english = new ArrayList<>();
        new AdScheduledTask(en, IN, CLOCK)
                .inspect(windows(4698, "TaskName", "\\t", "SubjectUserName", "eve"), english::add);
        assertThat(english)
                .singleElement()
                .satisfies(a ->
                        assertThat(englishPhrases()).anyMatch(p -> a.message().contains(p)));
    }

    private void renderEveryRule() {
        AtomicReference<Indicators> intel = new AtomicReference<>(indicators("192.0.2.66", "c2.example.net"));
        FirewallEvent toC2 = firewall(FirewallAction.ALLOW, "10.1.2.3", "192.0.2.66", 443);
        FwC2Communication c2 =
                new FwC2Communication(intel::get, Duration.ofMinutes(5), 100, JA, TimeBasis.EVENT, CLOCK, IN);
        c2.inspect(toC2, alerts::add);
        c2.inspect(toC2, alerts::add);
        intel.set(indicators("c2.example.net")); // the follow-up reports an indicator no longer listed
        c2.drain(alerts::add);
        FwConnectBack back = new FwConnectBack(
                SITE,
                new FwConnectBack.Settings(Set.of(443), IpSet.of(List.of()), Duration.ofMinutes(5), 100),
                JA,
                TimeBasis.EVENT,
                CLOCK,
                IN);
        back.inspect(firewall(FirewallAction.DENY, "10.1.2.3", "198.51.100.7", 443), alerts::add);
        back.inspect(firewall(FirewallAction.DROP, "10.1.2.3", "198.51.100.7", 443), alerts::add);
        back.drain(alerts::add);
        for (FirewallAction action : FirewallAction.values()) {
            new FwC2Communication(
                            () -> indicators("192.0.2.66"), Duration.ofMinutes(5), 100, JA, TimeBasis.EVENT, CLOCK, IN)
                    .inspect(firewall(action, "10.1.2.4", "192.0.2.66", 80), alerts::add);
        }

        MailMessage mail = new MailMessage(
                NIGHT,
                "x@evil.example",
                "ceo@corp.example.com",
                "<1@x>",
                "x@evil.example",
                List.of("bob@corp.example.com"),
                List.of(new MailMessage.Attachment("invoice.pdf.exe", "application/octet-stream", null)),
                "10.1.2.3",
                "smtp",
                null);
        new MailDisplayNameSpoof(Set.of("corp.example.com"), JA, ObserverInput.SMTP, CLOCK).inspect(mail, alerts::add);
        new MailExecutableAttachment(Set.of("exe"), JA, ObserverInput.SMTP, CLOCK).inspect(mail, alerts::add);

        new ProxyC2Access(intel::get, SITE, JA, ObserverInput.ICAP, CLOCK)
                .inspect(proxy("GET", "http://c2.example.net/a", "UA/1", -1, NIGHT), alerts::add);
        ProxyC2DailyAccess daily =
                new ProxyC2DailyAccess(intel::get, 2, SITE.timezone(), 100, JA, TimeBasis.EVENT, CLOCK, IN);
        daily.inspect(proxy("GET", "http://c2.example.net/", "UA/1", -1, NIGHT), alerts::add);
        daily.inspect(proxy("GET", "http://c2.example.net/", "UA/1", -1, NIGHT.plus(Duration.ofDays(1))), alerts::add);
        new ProxyConnectNonstandardPort(Set.of(80, 443), JA, ObserverInput.ICAP, CLOCK)
                .inspect(proxy("CONNECT", "mail.example.com:25", "UA/1", -1, NIGHT), alerts::add);
        ProxyUnknownUserAgent agents = new ProxyUnknownUserAgent(
                () -> List.of(Pattern.compile("^Mozilla/")), Duration.ofHours(1), 100, JA, ObserverInput.ICAP, CLOCK);
        agents.inspect(proxy("GET", "http://a.example/", "", -1, NIGHT), alerts::add);
        agents.inspect(proxy("GET", "http://a.example/", "EvilBot/6.6", -1, NIGHT), alerts::add);
        ProxyExfiltration exfil = new ProxyExfiltration(1000, Duration.ofHours(1), 100, JA, TimeBasis.EVENT, CLOCK, IN);
        exfil.inspect(proxy("POST", "http://up.example:443/", "UA/1", 600, NIGHT), alerts::add);
        exfil.inspect(proxy("CONNECT", "up.example:443", "UA/1", 600, NIGHT.plusSeconds(1)), alerts::add);

        AccountLists lists = new AccountLists(
                Set.of("administrator"), Map.of("administrator", List.of("10.0.10.0/24")), List.of("guest"));
        new AdMs14068(JA, IN, CLOCK)
                .inspect(
                        windows(4769, "TargetUserName", "alice", "Status", "0xf", "IpAddress", "10.1.2.3"),
                        alerts::add);
        new AdForgedTicket(SITE, JA, IN, CLOCK)
                .inspect(windows(4624, "TargetUserName", "alice", "TargetDomainName", "eo.oe.kiwi"), alerts::add);
        new AdScheduledTask(JA, IN, CLOCK)
                .inspect(
                        windows(4698, "TaskName", "\\t", "SubjectUserName", "eve", "SubjectDomainName", "CORP"),
                        alerts::add);
        new AdLogCleared(JA, IN, CLOCK).inspect(windows(1102, "SubjectUserName", "eve"), alerts::add);
        new AdUnexpectedPrivilege(() -> lists, JA, IN, CLOCK)
                .inspect(windows(4672, "SubjectUserName", "eve", "SubjectDomainName", "CORP"), alerts::add);
        AdUnexpectedAccountHost accountHost = new AdUnexpectedAccountHost(() -> lists, JA, IN, CLOCK);
        accountHost.inspect(windows(4624, "TargetUserName", "guest"), alerts::add);
        accountHost.inspect(windows(4624, "TargetUserName", "administrator", "IpAddress", "10.9.9.9"), alerts::add);
        new AdOffHoursAuth(SITE, () -> lists, JA, IN, CLOCK)
                .inspect(
                        windows(4624, "TargetUserName", "administrator", "LogonType", "3", "IpAddress", "10.0.10.5"),
                        alerts::add);
        AdAuthFailureBurst burst =
                new AdAuthFailureBurst(3, 3, Duration.ofSeconds(90), 100, JA, TimeBasis.EVENT, CLOCK, IN);
        for (int i = 0; i < 3; i++) { // account and source
            burst.inspect(
                    windows(4625, "TargetUserName", "alice", "Status", "0xc000006d", "IpAddress", "10.3.3.3"),
                    alerts::add);
        }
        for (int i = 0; i < 3; i++) { // spraying, then enumeration
            burst.inspect(
                    windows(4771, "TargetUserName", "u" + i, "Status", "0x18", "IpAddress", "10.4.4.4"), alerts::add);
            burst.inspect(
                    windows(4768, "TargetUserName", "n" + i, "Status", "0x6", "IpAddress", "10.5.5.5"), alerts::add);
        }
        AdAuthSpike spike = new AdAuthSpike(2, 3, 1, 100, JA, TimeBasis.EVENT, CLOCK, IN);
        for (int h = 0; h < 3; h++) {
            for (int i = 0; i < (h < 2 ? 1 : 10); i++) {
                spike.inspect(
                        windows(4624, NIGHT.plus(Duration.ofHours(h)).plusSeconds(i), "TargetUserName", "bob"),
                        alerts::add);
            }
        }
        new AdAccountCreated(JA, IN, CLOCK)
                .inspect(
                        windows(
                                4720,
                                "TargetUserName",
                                "backdoor",
                                "TargetDomainName",
                                "CORP",
                                "SubjectUserName",
                                "eve"),
                        alerts::add);
        new AdPrivilegedGroupChange(SITE, JA, IN, CLOCK)
                .inspect(
                        windows(
                                4728,
                                "TargetUserName",
                                "Domain Admins",
                                "MemberName",
                                "CN=eve,OU=Users,DC=corp,DC=example,DC=com",
                                "SubjectUserName",
                                "mallory"),
                        alerts::add);
        AdNewAccountHost hosts =
                new AdNewAccountHost(Duration.ZERO, 10, Duration.ofDays(90), 100, JA, TimeBasis.EVENT, CLOCK, IN);
        hosts.inspect(windows(4624, "TargetUserName", "carol", "IpAddress", "10.2.2.2"), alerts::add);
        new AdOffHoursAuth(SITE, () -> lists, true, JA, IN, CLOCK)
                .inspect(
                        windows(4624, "TargetUserName", "dave", "LogonType", "10", "IpAddress", "10.0.10.6"),
                        alerts::add);
        SiteProfile segmented = new SiteProfile(
                SITE.internalNetworks(),
                SITE.externalZones(),
                SITE.timezone(),
                SITE.businessHours(),
                SITE.adDomains(),
                SITE.privilegedAccounts(),
                Language.JA,
                SiteProfile.DEFAULT_PRIVILEGED_GROUPS,
                IpSet.of(List.of("10.20.0.0/16")),
                IpSet.of(List.of()));
        FwLateralAdmin lateral =
                new FwLateralAdmin(segmented, Set.of(445), Duration.ofMinutes(5), 100, JA, TimeBasis.EVENT, CLOCK, IN);
        lateral.inspect(firewall(FirewallAction.ALLOW, "10.20.1.5", "10.20.1.9", 445), alerts::add);
        Instant now = CLOCK.instant();
        SensorSourceSilent silent = new SensorSourceSilent(JA, IN);
        silent.inspect(
                new SensorEvent.SourceSilent(
                        now, "fw-hq", "firewall", "192.0.2.1", null, null, Duration.ofMinutes(12), null),
                alerts::add);
        silent.inspect(
                new SensorEvent.SourceSilent(
                        now, "dc01", "windows", null, "DC01", now.minusSeconds(4000), Duration.ofMinutes(66), 4769),
                alerts::add);
        SensorClockSkew skew = new SensorClockSkew(JA, IN);
        skew.inspect(
                new SensorEvent.ClockSkewed(now, "fw-hq", "192.0.2.1", null, Duration.ofMinutes(9), now), alerts::add);
        skew.inspect(
                new SensorEvent.ClockSkewed(now, "fw-hq", "192.0.2.1", null, Duration.ofHours(-3), now), alerts::add);
        new SensorDailyReview(JA, IN)
                .inspect(
                        new SensorEvent.DayClosed(now, LocalDate.of(2026, 12, 2), 12345, 12, 6789, 321, 4, 7),
                        alerts::add);
        Set<String> actions = new LinkedHashSet<>();
        alerts.stream()
                .filter(a -> a.ruleId().equals("ad.auth_failure_burst"))
                .forEach(a -> actions.add(String.valueOf(a.fields().get(AlertField.EVENT_ACTION))));
        assertThat(actions)
                .as("every wording of the burst rule")
                .contains("account", "source", "spraying", "enumeration");
    }

    private List<String> blockReasons() {
        ProxyEvent connect = proxy("CONNECT", "mail.example.com:25", "EvilBot/6.6", -1, NIGHT);
        ProxyEvent c2 = proxy("GET", "http://c2.example.net/", "EvilBot/6.6", -1, NIGHT);
        return List.of(
                "reason: " + reason(new ProxyC2Access(() -> indicators("c2.example.net"), SITE, JA, IN, CLOCK), c2),
                "reason: " + reason(new ProxyConnectNonstandardPort(Set.of(443), JA, IN, CLOCK), connect),
                "reason: " + reason(new ProxyUnknownUserAgent(List::of, Duration.ofHours(1), 1, JA, IN, CLOCK), c2),
                "reason: " + reason(new MailDisplayNameSpoof(Set.of(), JA, IN, CLOCK), spoofed()),
                "reason: " + reason(new MailExecutableAttachment(Set.of("exe"), JA, IN, CLOCK), spoofed()));
    }

    /** The reason of the one finding {@code d} reports on {@code event}, as a block page shows it. */
    private static <E> String reason(Detection<E> d, E event) {
        Findings findings = new Findings(a -> {});
        d.inspect(event, findings);
        assertThat(findings.all()).as(d.rule().id()).hasSize(1);
        return findings.all().get(0).reason();
    }

    private static MailMessage spoofed() {
        return new MailMessage(
                NIGHT,
                "x@evil.example",
                "ceo@corp.example.com",
                "<1@x>",
                "x@evil.example",
                List.of("bob@corp.example.com"),
                List.of(new MailMessage.Attachment("invoice.exe", "application/octet-stream", null)),
                "10.1.2.3",
                "smtp",
                null);
    }

    /** The literal stretches of the English catalog of two words or more, placeholders cut out. */
    private static List<String> englishPhrases() throws Exception {
        Properties en = new Properties();
        try (var in = MessageCatalog.class.getResourceAsStream("messages_en.properties")) {
            en.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        List<String> phrases = new ArrayList<>();
        for (String key : en.stringPropertyNames()) {
            for (String part : en.getProperty(key).split("\\{\\d+}|[.:;,()\"]")) {
                String p = part.strip();
                if (p.matches(".*[A-Za-z]{2,} [A-Za-z]{2,}.*")) {
                    phrases.add(p);
                }
            }
        }
        return phrases;
    }

    private static Indicators indicators(String... entries) {
        Indicators.Builder b = new Indicators.Builder();
        for (String e : entries) {
            b.add(e);
        }
        return b.build();
    }

    private static FirewallEvent firewall(FirewallAction action, String src, String dst, int port) {
        return new FirewallEvent(NIGHT, "fw1", "test", action, "tcp", src, 50000, dst, port, null, null, -1, "line");
    }

    private static ProxyEvent proxy(String method, String url, String agent, long bytes, Instant at) {
        String[] hp = ProxyEvent.hostPort(method, url);
        return new ProxyEvent(
                at, "10.1.2.3", method, url, hp[0], Integer.parseInt(hp[1]), agent, bytes, 200, "icap", "line");
    }

    private static WindowsEvent windows(int id, String... kv) {
        return windows(id, NIGHT, kv);
    }

    private static WindowsEvent windows(int id, Instant at, String... kv) {
        Map<String, String> data = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            data.put(kv[i], kv[i + 1]);
        }
        String provider = id == 1102 ? "Microsoft-Windows-Eventlog" : "Microsoft-Windows-Security-Auditing";
        return new WindowsEvent(id, provider, "Security", "DC01.corp.example.com", at, 1, data, "xml", "<Event/>");
    }
}
