package dev.mamori.sensor.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.parse.ParseOutcome;
import dev.mamori.detectors.sensor.SensorEvent;
import dev.mamori.detectors.site.ExpectedSource;
import dev.mamori.detectors.windows.WindowsEvent;
import dev.mamori.sensor.metrics.SensorMetrics;
import dev.mamori.sensor.state.SnapshotFile;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceTrackerTest {

    private static final Instant T0 = Instant.parse("2026-12-03T01:00:00Z");

    @TempDir
    Path dir;

    private final MovingClock clock = new MovingClock(T0);
    private final SensorMetrics metrics = new SensorMetrics("test");
    private final List<SensorEvent> notices = new ArrayList<>();

    @AfterEach
    void close() {
        metrics.close();
    }

    private SourceTracker tracker(ExpectedSource... expected) {
        return new SourceTracker(List.of(expected), Duration.ofMinutes(5), 3, clock, metrics, notices::add);
    }

    private static ExpectedSource firewall(String name, String address) {
        return new ExpectedSource(name, address, null, "firewall", Duration.ofMinutes(10), List.of());
    }

    private static WindowsEvent windows(int id, String computer, Instant time) {
        return new WindowsEvent(
                id, "Microsoft-Windows-Security-Auditing", "Security", computer, time, 1L, Map.of(), "xml", "<Event/>");
    }

    @Test
    void onlyTheQuietExpectedSourceIsReportedOnceUntilItSpeaksAgain() {
        SourceTracker t = tracker(firewall("fw-hq", "192.0.2.1"), firewall("fw-branch", "192.0.2.2"));
        clock.advance(Duration.ofMinutes(8));
        t.seen("192.0.2.1", "fw1", null, ParseOutcome.notMine());
        t.seen("192.0.2.2", "fw2", null, ParseOutcome.notMine());
        clock.advance(Duration.ofMinutes(8));
        t.seen("192.0.2.1", "fw1", null, ParseOutcome.notMine());
        t.tick(clock.instant());
        assertThat(notices).isEmpty();

        clock.advance(Duration.ofMinutes(3)); // fw-branch quiet for 11 min, fw-hq for 3
        t.tick(clock.instant());
        t.tick(clock.instant());
        assertThat(notices).singleElement().isInstanceOfSatisfying(SensorEvent.SourceSilent.class, s -> {
            assertThat(s.source()).isEqualTo("fw-branch");
            assertThat(s.eventId()).isNull();
            assertThat(s.lastSeen()).isEqualTo(T0.plus(Duration.ofMinutes(8)));
            assertThat(s.quiet()).isEqualTo(Duration.ofMinutes(11));
        });
        assertThat(t.sources())
                .filteredOn(SourceTracker.View::silent)
                .extracting(SourceTracker.View::name)
                .containsExactly("fw-branch");

        t.seen("192.0.2.2", "fw2", null, ParseOutcome.notMine());
        assertThat(t.sources()).noneMatch(SourceTracker.View::silent);
        clock.advance(Duration.ofMinutes(11));
        t.tick(clock.instant());
        assertThat(notices)
                .hasSize(3)
                .extracting(n -> ((SensorEvent.SourceSilent) n).source())
                .containsExactly("fw-branch", "fw-hq", "fw-branch");
    }

    @Test
    void aDomainControllerThatStopsWritingAnExpectedEventIsReportedForThatEvent() {
        ExpectedSource dc = new ExpectedSource(
                "dc01", null, "DC01.corp.example.com", "windows", Duration.ofMinutes(30), List.of(4624, 4769));
        SourceTracker t = tracker(dc);
        for (int minute = 0; minute < 40; minute++) {
            clock.advance(Duration.ofMinutes(1));
            // a collector forwards: the Computer names the source, the syslog HOSTNAME does not
            t.seen(
                    "10.0.0.9",
                    "wec01",
                    null,
                    new ParseOutcome.Parsed<>("windows-xml", List.of(windows(4624, "DC01", clock.instant()))));
            if (minute < 5) {
                t.seen(
                        "10.0.0.9",
                        "wec01",
                        null,
                        new ParseOutcome.Parsed<>(
                                "windows-xml", List.of(windows(4769, "dc01.corp.example.com", clock.instant()))));
            }
            t.tick(clock.instant());
        }
        assertThat(notices).singleElement().isInstanceOfSatisfying(SensorEvent.SourceSilent.class, s -> {
            assertThat(s.source()).isEqualTo("dc01");
            assertThat(s.eventId()).isEqualTo(4769);
        });
        SourceTracker.View v = t.sources().get(0);
        assertThat(v.silent()).isTrue();
        assertThat(v.silentEvents()).containsExactly(4769);
        assertThat(v.formats()).containsEntry("windows-xml", 45L);
        assertThat(t.sources()).extracting(SourceTracker.View::name).containsExactly("dc01");
    }

    @Test
    void aDomainControllerQuietAltogetherIsOneFindingNotOnePerExpectedEvent() {
        SourceTracker t = tracker(
                new ExpectedSource("dc01", null, "DC01", "windows", Duration.ofMinutes(30), List.of(4624, 4769)));
        clock.advance(Duration.ofMinutes(31));
        t.tick(clock.instant());
        assertThat(notices)
                .singleElement()
                .isInstanceOfSatisfying(
                        SensorEvent.SourceSilent.class,
                        s -> assertThat(s.eventId()).isNull());
    }

    @Test
    void aSkewedClockIsReportedOnceUntilItIsRightAgain() {
        SourceTracker t = tracker(firewall("fw-hq", "192.0.2.1"));
        Instant ahead = T0.plus(Duration.ofMinutes(7));
        t.seen("192.0.2.1", "fw1", ahead, ParseOutcome.notMine());
        t.seen("192.0.2.1", "fw1", ahead, new ParseOutcome.Parsed<>("windows-xml", List.of()));
        assertThat(notices).isEmpty(); // a line no format read has no event time of its own
        t.seen("192.0.2.1", "fw1", ahead, new ParseOutcome.Parsed<>("netfilter", List.of("an event")));
        t.seen("192.0.2.1", "fw1", ahead, new ParseOutcome.Parsed<>("netfilter", List.of("an event")));
        assertThat(notices).singleElement().isInstanceOfSatisfying(SensorEvent.ClockSkewed.class, s -> {
            assertThat(s.source()).isEqualTo("fw-hq");
            assertThat(s.skew()).isEqualTo(Duration.ofMinutes(7));
        });
        assertThat(t.sources().get(0).clockSkewSeconds()).isEqualTo(420L);
        t.seen("192.0.2.1", "fw1", T0.minusSeconds(10), new ParseOutcome.Parsed<>("netfilter", List.of("e")));
        t.seen("192.0.2.1", "fw1", T0.minus(Duration.ofHours(2)), new ParseOutcome.Parsed<>("netfilter", List.of("e")));
        assertThat(notices).hasSize(2);
        assertThat(((SensorEvent.ClockSkewed) notices.get(1)).skew()).isEqualTo(Duration.ofHours(-2));
    }

    @Test
    void unexpectedSourcesAreNamedByHostAndBounded() {
        SourceTracker t = tracker();
        for (String host : new String[] {"squid1", "SQUID1", "fw-a", "fw-b", "fw-c", "fw-d"}) {
            t.seen("10.0.0.1", host, null, new ParseOutcome.Parsed<>("squid", List.of("e")));
        }
        assertThat(t.sources()).extracting(SourceTracker.View::name).containsExactly("fw-a", "fw-b", "squid1");
        assertThat(t.sources().get(2).events()).isEqualTo(2);
        assertThat(metrics.scrape()).contains("mamori_sources_untracked_total 2.0");
    }

    @Test
    void stateComesBackAfterARestartWithoutCountingTheDowntimeAsSilence() {
        SourceTracker first = tracker(firewall("fw-hq", "192.0.2.1"));
        first.seen("192.0.2.1", "fw1", null, new ParseOutcome.Parsed<>("panos", List.of("e")));
        SnapshotFile.of(dir, "sources", first).save();

        clock.advance(Duration.ofHours(3)); // the sensor was down
        SourceTracker second = tracker(firewall("fw-hq", "192.0.2.1"));
        SnapshotFile.of(dir, "sources", second).load();
        second.tick(clock.instant());
        assertThat(notices).isEmpty();
        SourceTracker.View v = second.sources().get(0);
        assertThat(v.lastSeen()).isEqualTo(T0);
        assertThat(v.events()).isEqualTo(1);
        assertThat(v.formats()).containsEntry("panos", 1L);
        clock.advance(Duration.ofMinutes(11));
        second.tick(clock.instant());
        assertThat(notices)
                .singleElement()
                .isInstanceOfSatisfying(
                        SensorEvent.SourceSilent.class,
                        s -> assertThat(s.lastSeen()).isEqualTo(T0));
    }

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
