package dev.mamori.detectors.windows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.Language;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.site.AdDomain;
import dev.mamori.detectors.site.BusinessHours;
import dev.mamori.detectors.site.IpSet;
import dev.mamori.detectors.site.SiteProfile;
import dev.mamori.detectors.state.TimeBasis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AdDetectionsTest {

    /** 2026-11-27 (Friday) 10:00 in Tokyo. */
    static final Instant WORK = Instant.parse("2026-11-27T01:00:00Z");
    /** 2026-11-28 (Saturday) 03:00 in Tokyo. */
    static final Instant NIGHT = Instant.parse("2026-11-27T18:00:00Z");

    static final Clock CLOCK = Clock.fixed(WORK, ZoneOffset.UTC);
    static final SiteProfile SITE = new SiteProfile(
            IpSet.of(List.of("10.0.0.0/8")),
            Set.of("untrust"),
            ZoneId.of("Asia/Tokyo"),
            BusinessHours.weekdays(LocalTime.of(8, 0), LocalTime.of(19, 0)),
            List.of(new AdDomain("CORP", "corp.example.com")),
            Set.of("administrator", "adm-alice"),
            Language.EN);
    static final AlertFactory ALERTS = new AlertFactory(MessageCatalog.load(Language.EN), CLOCK);
    static final AccountLists ACCOUNTS = new AccountLists(Set.of("Administrator", "adm-alice"), Map.of(), List.of());
    static final String SECURITY = "Microsoft-Windows-Security-Auditing";

    private final List<Alert> alerts = new ArrayList<>();

    static WindowsEvent event(int id, Instant at, String... kv) {
        return event(id, SECURITY, at, kv);
    }

    static WindowsEvent event(int id, String provider, Instant at, String... kv) {
        Map<String, String> data = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            data.put(kv[i], kv[i + 1]);
        }
        return new WindowsEvent(id, provider, "Security", "DC01.corp.example.com", at, 1, data, "xml", "<Event/>");
    }

    @Test
    void ms14068OnlyFor4769WithFailureCodeF() {
        AdMs14068 d = new AdMs14068(ALERTS, ObserverInput.SYSLOG, CLOCK);
        d.inspect(
                event(
                        4769,
                        WORK,
                        "TargetUserName",
                        "alice@CORP.EXAMPLE.COM",
                        "Status",
                        "0xf",
                        "IpAddress",
                        "::ffff:10.1.2.3"),
                alerts::add);
        d.inspect(event(4769, WORK, "TargetUserName", "bob@CORP.EXAMPLE.COM", "Status", "0x0"), alerts::add);
        d.inspect(event(4768, WORK, "TargetUserName", "bob", "Status", "0xF"), alerts::add);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.ruleId()).isEqualTo("ad.ms14_068");
            assertThat(a.field(AlertField.SOURCE_IP)).isEqualTo("10.1.2.3");
            assertThat(a.field(AlertField.WINLOG_EVENT_ID)).isEqualTo(4769L);
            assertThat(a.field(AlertField.HOST_NAME)).isEqualTo("DC01.corp.example.com");
            assertThat(a.recommendation()).contains("compromised");
        });
    }

    @Test
    void forgedTicketDomains() {
        AdForgedTicket d = new AdForgedTicket(SITE, ALERTS, ObserverInput.SYSLOG, CLOCK);
        d.inspect(event(4624, WORK, "TargetUserName", "alice", "TargetDomainName", "CORP"), alerts::add);
        d.inspect(event(4624, WORK, "TargetUserName", "SYSTEM", "TargetDomainName", "NT AUTHORITY"), alerts::add);
        d.inspect(event(4624, WORK, "TargetUserName", "localadmin", "TargetDomainName", "DC01"), alerts::add);
        d.inspect(event(4672, WORK, "SubjectUserName", "DC01$", "SubjectDomainName", ""), alerts::add);
        assertThat(alerts).as("normal logons").isEmpty();
        d.inspect(event(4624, WORK, "TargetUserName", "alice", "TargetDomainName", ""), alerts::add);
        d.inspect(event(4634, WORK, "TargetUserName", "alice", "TargetDomainName", "eo.oe.kiwi :)"), alerts::add);
        d.inspect(event(4672, WORK, "SubjectUserName", "alice", "SubjectDomainName", "corp.example.com"), alerts::add);
        assertThat(alerts).hasSize(3).allSatisfy(a -> assertThat(a.severity()).isEqualTo(Severity.CRITICAL));
        assertThat(alerts.get(2).message()).contains("\"corp.example.com\"");
        assertThat(alerts.get(0).recommendation()).contains("krbtgt");
    }

    @Test
    void scheduledTaskSeverityFollowsTheCommand() {
        AdScheduledTask d = new AdScheduledTask(ALERTS, ObserverInput.SYSLOG, CLOCK);
        String risky = "<?xml version=\"1.0\"?><Task><Actions><Exec><Command>C:\\Users\\Public\\upd.exe</Command>"
                + "<Arguments>-q</Arguments></Exec></Actions></Task>";
        String script = "<Task><Actions><Exec><Command>powershell.exe</Command><Arguments>-enc AAA</Arguments>"
                + "</Exec></Actions></Task>";
        String normal = "<Task><Actions><Exec><Command>\"C:\\Program Files\\Backup\\backup.exe\"</Command></Exec>"
                + "</Actions></Task>";
        d.inspect(
                event(
                        4698,
                        WORK,
                        "TaskName",
                        "\\Updater",
                        "SubjectUserName",
                        "alice",
                        "SubjectDomainName",
                        "CORP",
                        "TaskContent",
                        risky),
                alerts::add);
        d.inspect(event(4698, WORK, "TaskName", "\\Ps", "TaskContent", script), alerts::add);
        d.inspect(event(4698, WORK, "TaskName", "\\Backup", "TaskContent", normal), alerts::add);
        d.inspect(event(4699, WORK, "TaskName", "\\Deleted"), alerts::add);
        assertThat(alerts).extracting(Alert::severity).containsExactly(Severity.HIGH, Severity.HIGH, Severity.MEDIUM);
        assertThat(alerts.get(0).message())
                .isEqualTo("Task \\Updater created on DC01.corp.example.com by CORP\\alice: "
                        + "C:\\Users\\Public\\upd.exe -q");
    }

    @Test
    void logClearedOnlyFromTheEventlogProvider() {
        AdLogCleared d = new AdLogCleared(ALERTS, ObserverInput.SYSLOG, CLOCK);
        d.inspect(
                event(
                        1102,
                        "Microsoft-Windows-Eventlog",
                        WORK,
                        "SubjectUserName",
                        "mallory",
                        "SubjectDomainName",
                        "CORP"),
                alerts::add);
        d.inspect(event(1102, "Some-Other-Provider", WORK), alerts::add);
        d.inspect(event(104, "Some-Other-Provider", WORK, "Channel", "System"), alerts::add);
        assertThat(alerts)
                .singleElement()
                .satisfies(a -> assertThat(a.message())
                        .isEqualTo("The Security event log on DC01.corp.example.com was cleared by CORP\\mallory"));
        // the System log's 104 names the log cleared in its UserData
        alerts.clear();
        d.inspect(
                event(
                        104,
                        "Microsoft-Windows-Eventlog",
                        WORK,
                        "SubjectUserName",
                        "mallory",
                        "SubjectDomainName",
                        "CORP",
                        "Channel",
                        "Windows PowerShell"),
                alerts::add);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.message())
                    .isEqualTo(
                            "The Windows PowerShell event log on DC01.corp.example.com was cleared by CORP\\mallory");
            assertThat(a.field(AlertField.WINLOG_EVENT_ID)).isEqualTo(104L);
        });
    }

    @Test
    void unexpectedPrivilegeSkipsListedAndBuiltInAccounts() {
        AdUnexpectedPrivilege d = new AdUnexpectedPrivilege(() -> ACCOUNTS, ALERTS, ObserverInput.SYSLOG, CLOCK);
        for (String user : List.of(
                "SYSTEM",
                "LOCAL SERVICE",
                "NETWORK SERVICE",
                "DC01$",
                "DWM-1",
                "UMFD-2",
                "Administrator",
                "adm-alice")) {
            d.inspect(event(4672, WORK, "SubjectUserName", user, "SubjectDomainName", "CORP"), alerts::add);
        }
        assertThat(alerts).isEmpty();
        d.inspect(event(4672, WORK, "SubjectUserName", "bob", "SubjectDomainName", "CORP"), alerts::add);
        assertThat(alerts)
                .singleElement()
                .satisfies(a -> assertThat(a.message())
                        .isEqualTo("Account CORP\\bob received special privileges on DC01.corp.example.com"));
    }

    @Test
    void unexpectedAccountHostByAddressNameAndDeniedList() {
        AdUnexpectedAccountHost d = new AdUnexpectedAccountHost(
                () -> new AccountLists(
                        Set.of("administrator"),
                        Map.of("Administrator", List.of("10.0.10.0/24", "ADMIN-PC01")),
                        List.of("guest")),
                ALERTS,
                ObserverInput.SYSLOG,
                CLOCK);
        d.inspect(event(4624, WORK, "TargetUserName", "Administrator", "IpAddress", "10.0.10.7"), alerts::add);
        d.inspect(event(4776, WORK, "TargetUserName", "administrator", "Workstation", "admin-pc01"), alerts::add);
        d.inspect(event(4624, WORK, "TargetUserName", "alice", "IpAddress", "10.9.9.9"), alerts::add);
        assertThat(alerts).isEmpty();
        d.inspect(
                event(
                        4624,
                        WORK,
                        "TargetUserName",
                        "Administrator",
                        "IpAddress",
                        "10.1.2.3",
                        "WorkstationName",
                        "WS77"),
                alerts::add);
        d.inspect(
                event(4769, WORK, "TargetUserName", "Administrator@CORP.EXAMPLE.COM", "IpAddress", "::ffff:10.1.2.4"),
                alerts::add);
        d.inspect(event(4625, WORK, "TargetUserName", "Guest", "IpAddress", "10.0.10.7"), alerts::add);
        assertThat(alerts)
                .extracting(a -> a.field(AlertField.SOURCE_IP))
                .containsExactly("10.1.2.3", "10.1.2.4", "10.0.10.7");
        assertThat(alerts.get(2).field(AlertField.EVENT_ACTION)).isEqualTo("denied_account");
    }

    @Test
    void swappedAccountListsTakeEffectOnTheNextEvent() {
        AtomicReference<AccountLists> lists = new AtomicReference<>(
                new AccountLists(Set.of(), Map.of("administrator", List.of("10.0.10.7")), List.of()));
        AdUnexpectedAccountHost d = new AdUnexpectedAccountHost(lists::get, ALERTS, ObserverInput.SYSLOG, CLOCK);
        d.inspect(event(4624, WORK, "TargetUserName", "Administrator", "IpAddress", "10.0.10.8"), alerts::add);
        lists.set(new AccountLists(Set.of(), Map.of("administrator", List.of("10.0.10.0/24")), List.of()));
        d.inspect(event(4624, WORK, "TargetUserName", "Administrator", "IpAddress", "10.0.10.8"), alerts::add);
        assertThat(alerts).hasSize(1);
    }

    @Test
    void offHoursAuthOfPrivilegedAccountsOnly() {
        AdOffHoursAuth d = new AdOffHoursAuth(SITE, () -> ACCOUNTS, ALERTS, ObserverInput.SYSLOG, CLOCK);
        d.inspect(event(4624, WORK, "TargetUserName", "Administrator", "LogonType", "10"), alerts::add);
        d.inspect(event(4624, NIGHT, "TargetUserName", "alice", "LogonType", "10"), alerts::add);
        d.inspect(event(4624, NIGHT, "TargetUserName", "Administrator", "LogonType", "5"), alerts::add);
        d.inspect(event(4768, NIGHT, "TargetUserName", "Administrator", "Status", "0x6"), alerts::add);
        assertThat(alerts).isEmpty();
        d.inspect(
                event(4624, NIGHT, "TargetUserName", "Administrator", "LogonType", "10", "IpAddress", "10.1.2.3"),
                alerts::add);
        d.inspect(event(4776, NIGHT, "TargetUserName", "adm-alice", "Status", "0x0"), alerts::add);
        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(0).message())
                .as("a remote desktop logon is called out")
                .isEqualTo("Account Administrator logged on to DC01.corp.example.com by remote desktop"
                        + " at 2026-11-28 03:00 Asia/Tokyo, outside business hours");
        assertThat(alerts.get(0).field(AlertField.EVENT_ACTION)).isEqualTo("remote_interactive");
        assertThat(alerts.get(1).message())
                .isEqualTo("Account adm-alice authenticated on DC01.corp.example.com"
                        + " at 2026-11-28 03:00 Asia/Tokyo, outside business hours");
    }

    /**
     * Half a burst counted by one instance, its partition's state moved to another (snapshot of
     * that partition, restore there, forgotten here): the other finishes the count and alerts once.
     */
    @Test
    void failureBurstStateMovesWithItsPartition() {
        AdAuthFailureBurst first = new AdAuthFailureBurst(
                6, 3, Duration.ofMinutes(5), 1000, ALERTS, TimeBasis.EVENT, CLOCK, ObserverInput.SYSLOG);
        AdAuthFailureBurst second = new AdAuthFailureBurst(
                6, 3, Duration.ofMinutes(5), 1000, ALERTS, TimeBasis.EVENT, CLOCK, ObserverInput.SYSLOG);
        for (int i = 0; i < 3; i++) {
            first.inspect(fail("alice", "10.1.1.7", i), alerts::add);
            first.inspect(fail("bob", "10.2.2." + i, i), alerts::add);
        }
        // the source 10.1.1.7 has seen only alice; 10.2.2.x one account each: nothing yet
        assertThat(alerts).isEmpty();
        java.util.function.Predicate<String> alicesPartition = k -> k.equals("alice") || k.equals("10.1.1.7");
        second.restore(first.snapshot(alicesPartition));
        first.forget(alicesPartition);
        assertThat(first.snapshot(alicesPartition)).isEmpty();
        assertThat(first.snapshot())
                .extracting(AdAuthFailureBurst.Failures::key)
                .contains("bob");
        for (int i = 3; i < 6; i++) {
            second.inspect(fail("alice", "10.1.1.7", i), alerts::add);
        }
        // both halves moved: the account's burst and the source's (one source tried all six)
        assertThat(alerts)
                .extracting(a -> a.field(AlertField.USER_NAME) + " " + a.field(AlertField.EVENT_ACTION))
                .containsExactlyInAnyOrder("alice account", "alice source");
        // and their quiet time moved with them: one more failure is not a second burst
        second.inspect(fail("alice", "10.1.1.7", 6), alerts::add);
        assertThat(alerts).hasSize(2);
        // bob stayed where he was: three more failures there make his burst
        for (int i = 3; i < 6; i++) {
            first.inspect(fail("bob", "10.2.2." + i, i), alerts::add);
        }
        assertThat(alerts)
                .hasSize(3)
                .last()
                .satisfies(a -> assertThat(a.field(AlertField.USER_NAME)).isEqualTo("bob"));
    }

    /**
     * Two instances each holding some keys: an event goes to the holder of its account, and a copy
     * to the holder of its source when that is another; each changes only the state of the keys it
     * holds. Spraying (five accounts from one source, the accounts held on both sides) is found
     * once, on the source's holder; no account burst appears from the copies.
     */
    @Test
    void failureStateUnderTwoKeysIsChangedOnceWhereEachKeyIsHeld() {
        java.util.function.Predicate<String> first = k -> k.equals("10.66.0.1") || k.compareTo("c") < 0;
        java.util.function.Predicate<String> second = first.negate();
        AdAuthFailureBurst one = new AdAuthFailureBurst(
                10, 5, Duration.ofMinutes(5), 1000, ALERTS, TimeBasis.EVENT, CLOCK, ObserverInput.SYSLOG);
        AdAuthFailureBurst two = new AdAuthFailureBurst(
                10, 5, Duration.ofMinutes(5), 1000, ALERTS, TimeBasis.EVENT, CLOCK, ObserverInput.SYSLOG);
        List<String> accounts = List.of("alice", "bob", "carol", "dave", "erin");
        try {
            for (int i = 0; i < accounts.size(); i++) {
                WindowsEvent e = fail(accounts.get(i), "10.66.0.1", i);
                boolean accountOnFirst = first.test(accounts.get(i));
                // the account's holder gets the event ...
                dev.mamori.detectors.state.Ownership.set(accountOnFirst ? first : second);
                (accountOnFirst ? one : two).inspect(e, alerts::add);
                // ... and the source's holder a copy, when it is the other one
                if (!accountOnFirst) {
                    dev.mamori.detectors.state.Ownership.set(first);
                    one.inspect(e, alerts::add);
                }
            }
        } finally {
            dev.mamori.detectors.state.Ownership.clear();
        }
        assertThat(alerts)
                .extracting(a -> a.field(AlertField.EVENT_ACTION) + " " + a.field(AlertField.EVENT_COUNT))
                .containsExactly("spraying 5");
        assertThat(one.snapshot())
                .extracting(AdAuthFailureBurst.Failures::key)
                .containsExactlyInAnyOrder("alice", "bob", "10.66.0.1");
        assertThat(two.snapshot())
                .extracting(AdAuthFailureBurst.Failures::key)
                .containsExactlyInAnyOrder("carol", "dave", "erin");
    }

    private static WindowsEvent fail(String account, String address, int second) {
        return event(
                4625,
                WORK.plusSeconds(second),
                "TargetUserName",
                account,
                "IpAddress",
                address,
                "Status",
                "0xc000006d");
    }

    @Test
    void failureBurstPerAccountPerSourceAndSpraying() {
        AdAuthFailureBurst d = new AdAuthFailureBurst(
                5, 5, Duration.ofMinutes(5), 1000, ALERTS, TimeBasis.EVENT, CLOCK, ObserverInput.SYSLOG);
        // 4 failures: below the threshold; expired tickets and successes do not count
        for (int i = 0; i < 4; i++) {
            d.inspect(
                    event(
                            4625,
                            WORK.plusSeconds(i),
                            "TargetUserName",
                            "alice",
                            "IpAddress",
                            "10.1.1." + i,
                            "Status",
                            "0xc000006d"),
                    alerts::add);
        }
        d.inspect(
                event(4771, WORK.plusSeconds(5), "TargetUserName", "alice", "Status", "0x20", "IpAddress", "10.1.1.9"),
                alerts::add);
        d.inspect(event(4624, WORK.plusSeconds(6), "TargetUserName", "alice", "IpAddress", "10.1.1.9"), alerts::add);
        assertThat(alerts).isEmpty();
        d.inspect(
                event(
                        4771,
                        WORK.plusSeconds(7),
                        "TargetUserName",
                        "alice",
                        "Status",
                        "0x18",
                        "IpAddress",
                        "::ffff:10.1.1.8"),
                alerts::add);
        assertThat(alerts)
                .singleElement()
                .satisfies(a ->
                        assertThat(a.message()).isEqualTo("5 failed authentications for account alice within 5 min"));
        alerts.clear();
        for (int i = 0; i < 10; i++) { // one more failure within the window: no second alert
            d.inspect(
                    event(
                            4625,
                            WORK.plusSeconds(8 + i),
                            "TargetUserName",
                            "alice",
                            "IpAddress",
                            "10.1.1.1",
                            "Status",
                            "0xc000006a"),
                    alerts::add);
        }
        assertThat(alerts)
                .as("the source 10.1.1.1 reached 5 too")
                .singleElement()
                .satisfies(a -> assertThat(a.field(AlertField.EVENT_ACTION)).isEqualTo("source"));
        alerts.clear();
        for (int i = 0; i < 5; i++) {
            d.inspect(
                    event(
                            4625,
                            WORK.plusSeconds(100 + i),
                            "TargetUserName",
                            "user" + i,
                            "IpAddress",
                            "10.7.7.7",
                            "Status",
                            "0xc000006a"),
                    alerts::add);
        }
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.field(AlertField.EVENT_ACTION)).isEqualTo("spraying");
            assertThat(a.message())
                    .isEqualTo("5 failed authentications for distinct accounts from source 10.7.7.7"
                            + " within 5 min: password spraying");
        });
        d.tick(WORK.plus(Duration.ofHours(1)), alerts::add);
        assertThat(d.trackedKeys()).isZero();
    }

    /**
     * A real Kerberos spray's shape: one address, nine accounts failing within 30 ms (4768 with 0x6 and
     * 0x18, 4771 with 0x18), one of them written as an IPv4-mapped IPv6 address. The default
     * per-account count (10) is never reached; the spray threshold (5) is.
     */
    @Test
    void kerberosSprayBelowThePerAccountCountIsCaughtByDistinctAccounts() {
        AdAuthFailureBurst d = new AdAuthFailureBurst(
                10, 5, Duration.ofMinutes(5), 1000, ALERTS, TimeBasis.EVENT, CLOCK, ObserverInput.SYSLOG);
        String[][] tries = {
            {"4768", "0x18", "alice"},
            {"4771", "0x18", "bob"},
            {"4768", "0x6", "carol"},
            {"4768", "0x18", "dave"},
            {"4771", "0x18", "erin"},
            {"4768", "0x6", "frank"},
            {"4768", "0x18", "grace"},
            {"4771", "0x18", "heidi"},
            {"4768", "0x18", "ivan"}
        };
        for (int i = 0; i < tries.length; i++) {
            d.inspect(
                    event(
                            Integer.parseInt(tries[i][0]),
                            WORK.plusMillis(3L * i),
                            "TargetUserName",
                            tries[i][2],
                            "Status",
                            tries[i][1],
                            "IpAddress",
                            i == 3 ? "::ffff:10.9.9.9" : "10.9.9.9"),
                    alerts::add);
        }
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.field(AlertField.EVENT_ACTION)).isEqualTo("spraying");
            assertThat(a.field(AlertField.SOURCE_IP)).isEqualTo("10.9.9.9");
            assertThat(a.field(AlertField.EVENT_COUNT)).isEqualTo(5L);
            assertThat(a.message())
                    .isEqualTo("5 failed authentications for distinct accounts from source 10.9.9.9"
                            + " within 5 min: password spraying");
        });
        // four accounts from another source stay below the spray threshold
        alerts.clear();
        for (int i = 0; i < 4; i++) {
            d.inspect(
                    event(
                            4768,
                            WORK.plusSeconds(i),
                            "TargetUserName",
                            "user" + i,
                            "Status",
                            "0x18",
                            "IpAddress",
                            "10.9.9.10"),
                    alerts::add);
        }
        assertThat(alerts).isEmpty();
    }

    @Test
    void manyUnknownAccountNamesFromOneSourceAreCalledEnumeration() {
        AdAuthFailureBurst d = new AdAuthFailureBurst(
                10, 5, Duration.ofMinutes(5), 1000, ALERTS, TimeBasis.EVENT, CLOCK, ObserverInput.SYSLOG);
        for (int i = 0; i < 4; i++) {
            d.inspect(
                    event(
                            4768,
                            WORK.plusMillis(i),
                            "TargetUserName",
                            "guess" + i,
                            "Status",
                            "0x6",
                            "IpAddress",
                            "10.9.9.11"),
                    alerts::add);
        }
        d.inspect(
                event(
                        4625,
                        WORK.plusMillis(9),
                        "TargetUserName",
                        "guess9",
                        "Status",
                        "0xc000006d",
                        "SubStatus",
                        "0xc0000064",
                        "IpAddress",
                        "10.9.9.11"),
                alerts::add);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.field(AlertField.EVENT_ACTION)).isEqualTo("enumeration");
            assertThat(a.message())
                    .isEqualTo("5 failed authentications for distinct accounts from source 10.9.9.11"
                            + " within 5 min, 5 of them for account names that do not exist: account enumeration");
        });
    }

    @Test
    void failuresSpreadOverMoreThanTheWindowDoNotAlert() {
        AdAuthFailureBurst d = new AdAuthFailureBurst(
                3, 3, Duration.ofMinutes(5), 1000, ALERTS, TimeBasis.EVENT, CLOCK, ObserverInput.SYSLOG);
        for (int i = 0; i < 6; i++) {
            d.inspect(
                    event(
                            4625,
                            WORK.plus(Duration.ofMinutes(3L * i)),
                            "TargetUserName",
                            "alice",
                            "Status",
                            "0xc000006a"),
                    alerts::add);
        }
        assertThat(alerts).isEmpty();
    }

    /**
     * The two clauses apart: a busy account (10 an hour) that reaches 20..49 in an hour meets
     * min_count but not the factor, and a quiet one (1 an hour) that reaches 5..19 meets the factor
     * but not min_count; neither alerts until it meets both.
     */
    @Test
    void spikeNeedsBothTheFactorOverTheBaselineAndTheMinimumCount() {
        AdAuthSpike d = new AdAuthSpike(5, 20, 24, 1000, ALERTS, TimeBasis.EVENT, CLOCK, ObserverInput.SYSLOG);
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        for (int h = 0; h < 30; h++) {
            for (int i = 0; i < 10; i++) {
                d.inspect(
                        event(4624, start.plus(Duration.ofHours(h)).plusSeconds(i), "TargetUserName", "busy"),
                        alerts::add);
            }
            d.inspect(event(4624, start.plus(Duration.ofHours(h)), "TargetUserName", "quiet"), alerts::add);
        }
        assertThat(alerts).isEmpty();
        Instant hour = start.plus(Duration.ofHours(30));
        for (int i = 0; i < 49; i++) {
            d.inspect(event(4624, hour.plusSeconds(i), "TargetUserName", "busy"), alerts::add);
        }
        assertThat(alerts)
                .as("49 against a baseline of 10: over min_count, under 5x")
                .isEmpty();
        d.inspect(event(4624, hour.plusSeconds(49), "TargetUserName", "busy"), alerts::add);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.field(AlertField.USER_NAME)).isEqualTo("busy");
            assertThat(a.field(AlertField.EVENT_COUNT)).isEqualTo(50L);
        });
        alerts.clear();
        for (int i = 0; i < 19; i++) {
            d.inspect(event(4624, hour.plusSeconds(i), "TargetUserName", "quiet"), alerts::add);
        }
        assertThat(alerts)
                .as("19 against a baseline of 1: over 5x, under min_count")
                .isEmpty();
        d.inspect(event(4624, hour.plusSeconds(19), "TargetUserName", "quiet"), alerts::add);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.field(AlertField.USER_NAME)).isEqualTo("quiet");
            assertThat(a.field(AlertField.EVENT_COUNT)).isEqualTo(20L);
        });
    }

    @Test
    void spikeAgainstTheLearnedBaselineAfterWarmUpAndAcrossRestarts() {
        AdAuthSpike d = new AdAuthSpike(5, 20, 24, 1000, ALERTS, TimeBasis.EVENT, CLOCK, ObserverInput.SYSLOG);
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        for (int h = 0; h < 30; h++) { // a quiet baseline of 4 logons an hour
            for (int i = 0; i < 4; i++) {
                d.inspect(
                        event(4624, start.plus(Duration.ofHours(h)).plusSeconds(i), "TargetUserName", "alice"),
                        alerts::add);
            }
        }
        assertThat(alerts).isEmpty();
        List<AdAuthSpike.Baseline> saved = d.snapshot();
        AdAuthSpike restarted = new AdAuthSpike(5, 20, 24, 1000, ALERTS, TimeBasis.EVENT, CLOCK, ObserverInput.SYSLOG);
        restarted.restore(saved);
        Instant spikeHour = start.plus(Duration.ofHours(31));
        for (int i = 0; i < 60; i++) {
            restarted.inspect(
                    event(4769, spikeHour.plusSeconds(i), "TargetUserName", "alice@CORP.EXAMPLE.COM"), alerts::add);
        }
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.ruleId()).isEqualTo("ad.auth_spike");
            assertThat(a.field(AlertField.EVENT_COUNT)).isEqualTo(20L);
            assertThat(a.message()).startsWith("Account alice@CORP.EXAMPLE.COM authenticated 20 times in an hour");
        });
        // a new account with no history cannot alert during its warm-up
        alerts.clear();
        for (int i = 0; i < 100; i++) {
            restarted.inspect(event(4624, spikeHour.plusSeconds(i), "TargetUserName", "newcomer"), alerts::add);
        }
        assertThat(alerts).isEmpty();
    }

    @Test
    void accountCreatedNamesTheAccountAndItsCreator() {
        AdAccountCreated d = new AdAccountCreated(ALERTS, ObserverInput.SYSLOG, CLOCK);
        d.inspect(event(4722, WORK, "TargetUserName", "enabled"), alerts::add); // enabled, not created
        d.inspect(
                event(
                        4720,
                        WORK,
                        "TargetUserName",
                        "svc-backup2",
                        "TargetDomainName",
                        "CORP",
                        "SubjectUserName",
                        "adm-alice",
                        "SubjectDomainName",
                        "CORP"),
                alerts::add);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.ruleId()).isEqualTo("ad.account_created");
            assertThat(a.message())
                    .isEqualTo(
                            "Account CORP\\svc-backup2 was created by CORP\\adm-alice on" + " DC01.corp.example.com");
            assertThat(a.field(AlertField.USER_NAME)).isEqualTo("svc-backup2");
        });
    }

    @Test
    void membersAddedToPrivilegedGroupsOnly() {
        AdPrivilegedGroupChange d = new AdPrivilegedGroupChange(SITE, ALERTS, ObserverInput.SYSLOG, CLOCK);
        d.inspect(event(4728, WORK, "TargetUserName", "Sales", "MemberName", "CN=bob,OU=Users,DC=corp"), alerts::add);
        d.inspect(event(4729, WORK, "TargetUserName", "Domain Admins", "MemberName", "CN=bob,DC=corp"), alerts::add);
        assertThat(alerts).as("another group, and a removal (4729)").isEmpty();
        d.inspect(
                event(
                        4728,
                        WORK,
                        "TargetUserName",
                        "Domain Admins",
                        "MemberName",
                        "CN=Smith\\, John,OU=Users,DC=corp,DC=example,DC=com",
                        "SubjectUserName",
                        "mallory",
                        "SubjectDomainName",
                        "CORP"),
                alerts::add);
        d.inspect(
                event(4732, WORK, "TargetUserName", "administrators", "MemberSid", "S-1-5-21-1-2-3-1107"), alerts::add);
        d.inspect(
                event(4756, WORK, "TargetUserName", "Enterprise Admins", "MemberName", "CN=eve,DC=corp"), alerts::add);
        assertThat(alerts)
                .extracting(Alert::message)
                .containsExactly(
                        "Smith, John was added to the privileged group Domain Admins by CORP\\mallory on DC01.corp.example.com",
                        "S-1-5-21-1-2-3-1107 was added to the privileged group administrators by ? on DC01.corp.example.com",
                        "eve was added to the privileged group Enterprise Admins by ? on DC01.corp.example.com");
        assertThat(alerts.get(0).severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void newAccountHostAlertsOnlyAfterTheLearningPeriodAndOncePerOrigin() {
        AdNewAccountHost d = new AdNewAccountHost(
                Duration.ofDays(7), 3, Duration.ofDays(90), 1000, ALERTS, TimeBasis.EVENT, CLOCK, ObserverInput.SYSLOG);
        Instant start = Instant.parse("2026-11-01T01:00:00Z");
        d.inspect(event(4624, start, "TargetUserName", "alice", "IpAddress", "10.1.1.1"), alerts::add);
        d.inspect(
                event(
                        4769,
                        start.plus(Duration.ofDays(2)),
                        "TargetUserName",
                        "alice@CORP.EXAMPLE.COM",
                        "IpAddress",
                        "::ffff:10.1.1.2",
                        "Status",
                        "0x0"),
                alerts::add);
        assertThat(alerts).as("learning: new origins are only remembered").isEmpty();
        Instant later = start.plus(Duration.ofDays(8));
        d.inspect(event(4624, later, "TargetUserName", "alice", "IpAddress", "10.1.1.2"), alerts::add);
        d.inspect(event(4624, later, "TargetUserName", "ALICE", "IpAddress", "10.1.1.1"), alerts::add);
        d.inspect(event(4624, later, "TargetUserName", "DC01$", "IpAddress", "10.9.9.9"), alerts::add);
        d.inspect(event(4624, later, "TargetUserName", "alice", "IpAddress", "127.0.0.1"), alerts::add);
        assertThat(alerts).as("known origins, machine accounts and loopback").isEmpty();
        d.inspect(
                event(4625, later, "TargetUserName", "alice", "IpAddress", "10.66.6.6", "Status", "0xc000006d"),
                alerts::add);
        d.inspect(event(4624, later.plusSeconds(5), "TargetUserName", "alice", "IpAddress", "10.66.6.6"), alerts::add);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.ruleId()).isEqualTo("ad.new_account_host");
            assertThat(a.message())
                    .isEqualTo("Account alice authenticated from 10.66.6.6, where it has not been" + " used before");
        });
        // a newcomer learns for its own period; the learned state survives a restart
        alerts.clear();
        d.inspect(event(4624, later, "TargetUserName", "bob", "WorkstationName", "PC-BOB"), alerts::add);
        AdNewAccountHost restarted = new AdNewAccountHost(
                Duration.ofDays(7), 3, Duration.ofDays(90), 1000, ALERTS, TimeBasis.EVENT, CLOCK, ObserverInput.SYSLOG);
        restarted.restore(d.snapshot());
        restarted.inspect(
                event(4624, later.plus(Duration.ofDays(1)), "TargetUserName", "alice", "IpAddress", "10.66.6.6"),
                alerts::add);
        restarted.inspect(
                event(4624, later.plus(Duration.ofDays(1)), "TargetUserName", "bob", "WorkstationName", "PC-OTHER"),
                alerts::add);
        assertThat(alerts).isEmpty();
        restarted.inspect(
                event(4624, later.plus(Duration.ofDays(9)), "TargetUserName", "bob", "WorkstationName", "PC-THIRD"),
                alerts::add);
        assertThat(alerts).extracting(a -> a.field(AlertField.USER_NAME)).containsExactly("bob");
        assertThat(restarted.snapshot())
                .filteredOn(k -> k.account().equals("alice"))
                .singleElement()
                .satisfies(
                        k -> assertThat(k.origins()).as("bounded by max_hosts").hasSize(3));
    }

    @Test
    void offHoursForEveryAccountWhenConfiguredOthersAtLowSeverity() {
        AdOffHoursAuth d = new AdOffHoursAuth(SITE, () -> ACCOUNTS, true, ALERTS, ObserverInput.SYSLOG, CLOCK);
        d.inspect(event(4624, NIGHT, "TargetUserName", "alice", "LogonType", "3"), alerts::add);
        d.inspect(event(4624, NIGHT, "TargetUserName", "SYSTEM", "LogonType", "3"), alerts::add);
        d.inspect(event(4624, NIGHT, "TargetUserName", "Administrator", "LogonType", "3"), alerts::add);
        d.inspect(event(4624, WORK, "TargetUserName", "alice", "LogonType", "3"), alerts::add);
        assertThat(alerts)
                .extracting(a -> a.field(AlertField.USER_NAME) + " " + a.severity())
                .containsExactly("alice LOW", "Administrator MEDIUM");
    }

    @Test
    void scheduledTaskAlsoFromTheTaskSchedulerLog() {
        AdScheduledTask d = new AdScheduledTask(ALERTS, ObserverInput.SYSLOG, CLOCK);
        d.inspect(event(106, "Some-Other-Provider", WORK, "TaskName", "\\x"), alerts::add);
        d.inspect(
                event(
                        106,
                        "Microsoft-Windows-TaskScheduler",
                        WORK,
                        "TaskName",
                        "\\Updater",
                        "UserContext",
                        "CORP\\mallory"),
                alerts::add);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.message())
                    .isEqualTo("Task \\Updater created on DC01.corp.example.com by CORP\\mallory:"
                            + " (no command in the event)");
            assertThat(a.field(AlertField.USER_NAME)).isEqualTo("mallory");
            assertThat(a.field(AlertField.USER_DOMAIN)).isEqualTo("CORP");
            assertThat(a.field(AlertField.WINLOG_EVENT_ID)).isEqualTo(106L);
        });
    }

    @Test
    void oneLocalAccountLoggingOnToManyComputersIsCalledASharedPassword() {
        AdUnexpectedAccountHost d = new AdUnexpectedAccountHost(
                () -> ACCOUNTS, 3, Duration.ofHours(1), 1000, ALERTS, TimeBasis.EVENT, ObserverInput.SYSLOG, CLOCK);
        for (String pc : List.of("PC01", "PC02")) {
            d.inspect(local(pc, "localadmin", "3", WORK), alerts::add);
        }
        d.inspect(local("PC03", "localadmin", "2", WORK), alerts::add); // interactive, not network
        d.inspect(domainLogon("PC04", "alice", WORK), alerts::add); // a domain account
        assertThat(alerts).isEmpty();
        d.inspect(local("PC05", "localadmin", "3", WORK.plusSeconds(60)), alerts::add);
        d.inspect(local("PC06", "localadmin", "3", WORK.plusSeconds(61)), alerts::add);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.field(AlertField.EVENT_ACTION)).isEqualTo("shared_local_account");
            assertThat(a.message())
                    .isEqualTo("Local account localadmin logged on over the network to 3 computers"
                            + " within 1 h: a local administrator password shared by many machines");
        });
    }

    private static WindowsEvent local(String computer, String account, String logonType, Instant at) {
        Map<String, String> data = new HashMap<>(Map.of(
                "TargetUserName",
                account,
                "TargetDomainName",
                computer,
                "LogonType",
                logonType,
                "IpAddress",
                "10.1.2.3"));
        return new WindowsEvent(
                4624, SECURITY, "Security", computer + ".corp.example.com", at, 1, data, "xml", "<Event/>");
    }

    private static WindowsEvent domainLogon(String computer, String account, Instant at) {
        Map<String, String> data =
                new HashMap<>(Map.of("TargetUserName", account, "TargetDomainName", "CORP", "LogonType", "3"));
        return new WindowsEvent(
                4624, SECURITY, "Security", computer + ".corp.example.com", at, 1, data, "xml", "<Event/>");
    }
}
