package dev.mamori.sensor.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.parse.ParseOutcome;
import dev.mamori.sensor.metrics.SensorMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineRouterTest {

    /** A format that recognises lines starting with its prefix, and breaks on "boom". */
    record Prefix(String prefix) implements LineFormat {
        @Override
        public String name() {
            return prefix;
        }

        @Override
        public ParseOutcome<String> handle(LogRecord r) {
            if (r.message().equals("boom")) {
                throw new IllegalStateException("bug");
            }
            return r.message().startsWith(prefix) ? ParseOutcome.parsed(prefix, r.message()) : ParseOutcome.notMine();
        }

        @Override
        public List<String> routingKeys(LogRecord r) {
            return r.message().startsWith(prefix) ? List.of(prefix) : null;
        }
    }

    private static LogRecord line(String text) {
        return new LogRecord(text, "h", null, ObserverInput.FILE);
    }

    @Test
    void firstRecognisingFormatWinsAndEveryOutcomeIsCounted() {
        try (SensorMetrics metrics = new SensorMetrics("t")) {
            LineRouter router = new LineRouter(List.of(new Prefix("a"), new Prefix("ab")), metrics);
            assertThat(router.route(line("abc"))).isEqualTo(ParseOutcome.parsed("a", "abc"));
            assertThat(router.route(line("zzz"))).isInstanceOf(ParseOutcome.NotMine.class);
            assertThat(router.route(line("boom")))
                    .isInstanceOfSatisfying(
                            ParseOutcome.Malformed.class,
                            f -> assertThat(f.reason()).contains("internal error"));
            assertThat(router.recognised()).isEqualTo(1);
            assertThat(router.unrecognised()).isEqualTo(1);
            assertThat(router.failed()).isEqualTo(1);
            assertThat(metrics.scrape())
                    .contains("mamori_events_parsed_total{format=\"a\"} 1.0")
                    .contains("mamori_parse_failures_total{format=\"a\"} 1.0")
                    .contains("mamori_parse_failures_total{format=\"unrecognised\"} 1.0");
        }
    }
}
