package dev.mamori.detectors.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.windows.WindowsEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sigma correlation rules, streamed: the specification's examples and its edge cases. */
class SigmaCorrelationTest {

    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static final String FAILED = """
            title: Single failed login
            id: 53ba33fd-3a50-4468-a5ef-c583635cfa92
            name: failed_login
            logsource: {product: windows, service: security}
            detection:
                selection: {EventID: [529, 4625]}
                condition: selection
            """;

    private static final String SUCCESS = """
            title: Successful login
            id: 4d0a2c83-c62c-4ed4-b475-c7e23a9269b8
            name: successful_login
            logsource: {product: windows, service: security}
            detection:
                selection: {EventID: [528, 4624]}
                condition: selection
            """;

    private static WindowsEvent logon(int id, String user, String ip, Instant at) {
        return new WindowsEvent(
                id,
                "Microsoft-Windows-Security-Auditing",
                "Security",
                "DC1",
                at,
                1,
                Map.of("TargetUserName", user, "IpAddress", ip, "WorkstationName", "WS-" + ip),
                "xml",
                "<Event/>");
    }

    private List<Alert> run(String yaml, List<WindowsEvent> events) throws Exception {
        SigmaRules.Loaded loaded = SigmaTesting.load(dir, yaml);
        assertThat(loaded.rejected()).isEmpty();
        SigmaEngine engine = SigmaTesting.engine(loaded, 1000);
        List<Alert> alerts = new ArrayList<>();
        events.forEach(e -> engine.windows(e, alerts::add));
        engine.drain(alerts::add);
        return alerts;
    }

    private static List<String> ids(List<Alert> alerts) {
        return alerts.stream().map(Alert::ruleId).toList();
    }

    @Test
    void eventCountFiresOnceWhenTheCountIsReachedWithinTheTimespanPerGroup() throws Exception {
        String yaml = """
                title: Many failed logins
                id: many-failed
                level: high
                tags: [attack.t1110]
                correlation:
                    type: event_count
                    rules: [failed_login]
                    group-by: [TargetUserName]
                    timespan: 10m
                    condition: {gte: 3}
                ---
                """ + FAILED;
        List<WindowsEvent> events = new ArrayList<>();
        // alice: 3 failures within 10 minutes -> one alert; 2 more -> none yet
        for (int i = 0; i < 5; i++) {
            events.add(logon(4625, "alice", "10.0.0.5", T0.plusSeconds(60L * i)));
        }
        // bob: 3 failures, but spread over 30 minutes -> none
        for (int i = 0; i < 3; i++) {
            events.add(logon(4625, "bob", "10.0.0.6", T0.plusSeconds(900L * i)));
        }
        // an event without the group-by field is in no group
        events.add(new WindowsEvent(4625, "p", "Security", "DC1", T0, 1, Map.of(), "xml", "<Event/>"));
        List<Alert> alerts = run(yaml, events);
        assertThat(ids(alerts))
                .as("the base rule raises nothing of its own (generate: false)")
                .containsExactly("sigma:many-failed");
        Alert a = alerts.get(0);
        assertThat(a.severity()).isEqualTo(Severity.HIGH);
        assertThat(a.timestamp()).isEqualTo(T0.plusSeconds(120));
        assertThat(a.message()).contains("3 events").contains("10m").contains("TargetUserName=alice");
        assertThat(a.field(AlertField.USER_NAME)).isEqualTo("alice");
        assertThat(a.field(AlertField.THREAT_TECHNIQUE_ID)).isEqualTo("T1110");
    }

    @Test
    void generateKeepsTheNamedRulesAlertsAndFiltersApplyToTheOutermostRuleOnly() throws Exception {
        String yaml = """
                title: Many failed logins
                id: many-failed
                status: stable
                correlation:
                    type: event_count
                    rules: [failed_login]
                    group-by: [TargetUserName]
                    timespan: 10m
                    condition: {gte: 2}
                    generate: true
                ---
                """ + FAILED;
        Path f = java.nio.file.Files.writeString(dir.resolve("r.yml"), yaml);
        // only stable rules: the base rule has no status (experimental) but is named by a stable correlation
        SigmaRules.Loaded loaded = SigmaRules.load(List.of(f), java.util.Set.of("stable"), Severity.LOW, true);
        assertThat(loaded.size()).isEqualTo(2);
        assertThat(loaded.quiet())
                .as("left out as a rule of its own, kept for the correlation")
                .hasSize(1);
        SigmaEngine engine = SigmaTesting.engine(loaded, 1000);
        List<Alert> alerts = new ArrayList<>();
        engine.windows(logon(4625, "alice", "10.0.0.5", T0), alerts::add);
        engine.windows(logon(4625, "alice", "10.0.0.5", T0.plusSeconds(1)), alerts::add);
        assertThat(ids(alerts)).containsExactly("sigma:many-failed");

        // with every status, the generating base rule raises its own alerts too
        SigmaEngine all = SigmaTesting.engine(SigmaTesting.load(dir, yaml), 1000);
        List<Alert> more = new ArrayList<>();
        all.windows(logon(4625, "alice", "10.0.0.5", T0), more::add);
        all.windows(logon(4625, "alice", "10.0.0.5", T0.plusSeconds(1)), more::add);
        assertThat(ids(more))
                .containsExactly(
                        "sigma:53ba33fd-3a50-4468-a5ef-c583635cfa92",
                        "sigma:53ba33fd-3a50-4468-a5ef-c583635cfa92",
                        "sigma:many-failed");
    }

    @Test
    void valueCountCountsDistinctValuesPerGroup() throws Exception {
        String yaml = """
                title: Password spray
                id: spray
                correlation:
                    type: value_count
                    rules: [failed_login]
                    group-by: [IpAddress]
                    timespan: 1h
                    condition: {field: TargetUserName, gte: 3}
                ---
                """ + FAILED;
        List<WindowsEvent> events = new ArrayList<>();
        // the same account again and again: one distinct value
        for (int i = 0; i < 10; i++) {
            events.add(logon(4625, "alice", "10.0.0.9", T0.plusSeconds(i)));
        }
        events.add(logon(4625, "bob", "10.0.0.9", T0.plusSeconds(20)));
        assertThat(run(yaml, events)).isEmpty();
        events.add(logon(4625, "carol", "10.0.0.9", T0.plusSeconds(30)));
        List<Alert> alerts = run(yaml, events);
        assertThat(ids(alerts)).containsExactly("sigma:spray");
        assertThat(alerts.get(0).message())
                .contains("3 distinct values of TargetUserName")
                .contains("IpAddress=10.0.0.9");
    }

    @Test
    void temporalOrderedChainsACorrelationBeforeARule() throws Exception {
        // the specification's own example: many failures, then a success, same user
        String yaml = """
                title: Correlation - Multiple Failed Logins Followed by Successful Login
                id: b180ead8-d58f-40b2-ae54-c8940995b9b6
                level: high
                correlation:
                    type: temporal_ordered
                    rules: [multiple_failed_login, successful_login]
                    group-by: [User]
                    timespan: 10m
                    aliases:
                        User:
                            successful_login: TargetUserName
                ---
                title: Multiple failed logons
                id: a8418a5a-5fc4-46b5-b23b-6c73beb19d41
                name: multiple_failed_login
                correlation:
                    type: event_count
                    rules: [failed_login]
                    group-by: [User]
                    timespan: 10m
                    condition: {gte: 3}
                    aliases:
                        User:
                            failed_login: TargetUserName
                ---
                """ + FAILED + "---\n" + SUCCESS;
        List<WindowsEvent> successFirst = new ArrayList<>();
        successFirst.add(logon(4624, "alice", "10.0.0.5", T0));
        for (int i = 1; i <= 3; i++) {
            successFirst.add(logon(4625, "alice", "10.0.0.5", T0.plusSeconds(i)));
        }
        assertThat(run(yaml, successFirst))
                .as("a success before the failures is no brute force")
                .isEmpty();

        List<WindowsEvent> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(logon(4625, "alice", "10.0.0.5", T0.plusSeconds(i)));
        }
        events.add(logon(4624, "bob", "10.0.0.7", T0.plusSeconds(5)));
        events.add(logon(4624, "alice", "10.0.0.5", T0.plusSeconds(60)));
        List<Alert> alerts = run(yaml, events);
        assertThat(ids(alerts)).containsExactly("sigma:b180ead8-d58f-40b2-ae54-c8940995b9b6");
        assertThat(alerts.get(0).message()).contains("User=alice");

        List<WindowsEvent> late = new ArrayList<>(events.subList(0, 3));
        late.add(logon(4624, "alice", "10.0.0.5", T0.plusSeconds(3600)));
        assertThat(run(yaml, late)).as("the success comes after the timespan").isEmpty();
    }

    @Test
    void temporalNeedsEveryRuleInAnyOrderWithinTheTimespan() throws Exception {
        String yaml = """
                title: Failure and success from one address
                id: both
                correlation:
                    type: temporal
                    rules: [failed_login, successful_login]
                    group-by: [IpAddress]
                    timespan: 5m
                ---
                """ + FAILED + "---\n" + SUCCESS;
        assertThat(ids(run(
                        yaml,
                        List.of(logon(4624, "a", "10.0.0.1", T0), logon(4625, "b", "10.0.0.1", T0.plusSeconds(10))))))
                .containsExactly("sigma:both");
        assertThat(run(
                        yaml,
                        List.of(logon(4624, "a", "10.0.0.1", T0), logon(4625, "b", "10.0.0.2", T0.plusSeconds(10)))))
                .as("different groups")
                .isEmpty();
    }

    @Test
    void anUpperBoundIsJudgedWhenTheWindowCloses() throws Exception {
        String yaml = """
                title: Few logins
                id: few
                correlation:
                    type: event_count
                    rules: [successful_login]
                    group-by: [TargetUserName]
                    timespan: 1h
                    condition: {gt: 1, lte: 2}
                ---
                """ + SUCCESS;
        SigmaEngine engine = SigmaTesting.engine(SigmaTesting.load(dir, yaml), 1000);
        List<Alert> alerts = new ArrayList<>();
        engine.windows(logon(4624, "alice", "10.0.0.1", T0), alerts::add);
        engine.windows(logon(4624, "alice", "10.0.0.1", T0.plusSeconds(60)), alerts::add);
        engine.windows(logon(4624, "carol", "10.0.0.1", T0), alerts::add);
        for (int i = 0; i < 3; i++) {
            engine.windows(logon(4624, "bob", "10.0.0.1", T0.plusSeconds(i)), alerts::add);
        }
        assertThat(alerts).as("nothing is judged before the window is over").isEmpty();
        engine.tick(T0.plusSeconds(1800), alerts::add);
        assertThat(alerts).isEmpty();
        engine.tick(T0.plusSeconds(3601), alerts::add);
        assertThat(alerts).extracting(a -> a.field(AlertField.USER_NAME)).containsExactly("alice");
    }

    @Test
    void valueSumAddsANumberPerGroup() throws Exception {
        String yaml = """
                title: Large uploads
                id: uploads
                correlation:
                    type: value_sum
                    rules: [posts]
                    group-by: [c-ip]
                    timespan: 1h
                    condition: {field: cs-bytes, gt: 1000}
                ---
                title: Posts
                id: posts
                logsource: {category: proxy}
                detection:
                    selection: {cs-method: POST}
                    condition: selection
                """;
        SigmaEngine engine = SigmaTesting.engine(SigmaTesting.load(dir, yaml), 1000);
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            engine.proxy(post("10.0.0.1", 400, T0.plusSeconds(i)), alerts::add);
            engine.proxy(post("10.0.0.2", 100, T0.plusSeconds(i)), alerts::add);
        }
        assertThat(ids(alerts)).containsExactly("sigma:uploads");
        assertThat(alerts.get(0).message()).contains("sum 1200 of cs-bytes");
        assertThat(alerts.get(0).field(AlertField.SOURCE_IP)).isEqualTo("10.0.0.1");
    }

    private static dev.mamori.detectors.proxy.ProxyEvent post(String client, long bytes, Instant at) {
        return new dev.mamori.detectors.proxy.ProxyEvent(
                at,
                client,
                "POST",
                "http://upload.example/x",
                "upload.example",
                80,
                "ua",
                bytes,
                200,
                "mamori",
                "line");
    }

    @Test
    void stateIsBoundedAndWhatDoesNotFitIsCounted() throws Exception {
        String yaml = """
                title: Many failed logins
                id: many-failed
                correlation:
                    type: event_count
                    rules: [failed_login]
                    group-by: [TargetUserName]
                    timespan: 10m
                    condition: {gte: 2}
                ---
                """ + FAILED;
        SigmaEngine engine = SigmaTesting.engine(SigmaTesting.load(dir, yaml), 2);
        for (int i = 0; i < 5; i++) {
            engine.windows(logon(4625, "user" + i, "10.0.0.1", T0), a -> {});
        }
        assertThat(engine.trackedKeys()).isEqualTo(2);
        assertThat(engine.keysDropped()).isEqualTo(3);
        engine.tick(T0.plusSeconds(3600), a -> {});
        assertThat(engine.trackedKeys()).as("idle groups are forgotten").isZero();
    }

    @Test
    void whatCannotBeResolvedIsRefusedWithItsReasonAndAFileLoadsWhole() throws Exception {
        Path rules = java.nio.file.Files.createDirectories(dir.resolve("many"));
        String[] docs = {
            "title: Dangling\nid: dangling\ncorrelation: {type: event_count, rules: [nowhere], group-by: [A],"
                    + " timespan: 1h, condition: {gte: 2}}",
            "title: Loop a\nid: loop-a\ncorrelation: {type: event_count, rules: [loop-b], group-by: [A],"
                    + " timespan: 1h, condition: {gte: 2}}",
            "title: Loop b\nid: loop-b\ncorrelation: {type: event_count, rules: [loop-a], group-by: [A],"
                    + " timespan: 1h, condition: {gte: 2}}",
            "title: Bad span\nid: bad-span\ncorrelation: {type: event_count, rules: [x], group-by: [A],"
                    + " timespan: 1y, condition: {gte: 2}}",
            "title: No field\nid: no-field\ncorrelation: {type: value_count, rules: [x], group-by: [A],"
                    + " timespan: 1h, condition: {gte: 2}}",
            "title: Percentile\nid: pct\ncorrelation: {type: value_percentile, rules: [x], group-by: [A],"
                    + " timespan: 1h, condition: {field: A, lte: 1}}",
            "title: Too many\nid: too-many\ncorrelation: {type: event_count, rules: [x], group-by: [A],"
                    + " timespan: 1h, condition: {gte: 1000000}}",
            // one file, two documents, one broken: neither loads, and the correlation naming it is refused
            FAILED.replace("failed_login", "half_file") + "---\ntitle: broken\nid: b\nlogsource: {product: linux}\n",
            "title: Names the half file\nid: names-half\ncorrelation: {type: event_count, rules: [half_file],"
                    + " group-by: [A], timespan: 1h, condition: {gte: 2}}",
        };
        for (int i = 0; i < docs.length; i++) {
            java.nio.file.Files.writeString(rules.resolve("r" + i + ".yml"), docs[i]);
        }
        SigmaRules.Loaded loaded = SigmaRules.load(List.of(rules), SigmaTesting.ALL_STATUSES, Severity.LOW, true);
        assertThat(loaded.size()).isZero();
        assertThat(loaded.rejected())
                .extracting(SigmaRules.Rejected::reason)
                .anySatisfy(r -> assertThat(r).contains("rule 'nowhere' is not loaded"))
                .anySatisfy(r -> assertThat(r).contains("names itself"))
                .anySatisfy(r -> assertThat(r).contains("timespan '1y'"))
                .anySatisfy(r -> assertThat(r).contains("needs condition.field"))
                .anySatisfy(r -> assertThat(r).contains("value_percentile"))
                .anySatisfy(r -> assertThat(r).contains("counts above"))
                .anySatisfy(r -> assertThat(r).contains("not a source").contains("other documents are left out"))
                .anySatisfy(r -> assertThat(r).contains("rule 'half_file' is not loaded"));
    }
}
