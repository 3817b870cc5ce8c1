package dev.mamori.detectors.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mamori.detectors.firewall.FirewallEvent;
import dev.mamori.detectors.firewall.FirewallParsers;
import dev.mamori.detectors.intel.Indicators;
import dev.mamori.detectors.mail.MailParser;
import dev.mamori.detectors.mail.PostfixWarningParser;
import dev.mamori.detectors.parse.ParseOutcome;
import dev.mamori.detectors.proxy.ProxyLogParser;
import dev.mamori.detectors.proxy.SquidLogFormat;
import dev.mamori.detectors.windows.WindowsParsers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of every parser of outside input in detectors (Jazzer). {@code mvn verify}
 * replays the committed inputs under {@code ParsersFuzzTestInputs/<method>/} as regression tests;
 * {@code JAZZER_FUZZ=1} fuzzes one target (see docs/robustness.md). A parser may refuse what it is
 * given only in its own documented way; any other exception is a finding.
 */
class ParsersFuzzTest {

    private static final FirewallParsers FIREWALL = new FirewallParsers(ZoneOffset.UTC);
    private static final WindowsParsers WINDOWS = new WindowsParsers(ZoneOffset.UTC);
    private static final ProxyLogParser PROXY = new ProxyLogParser();
    private static final PostfixWarningParser POSTFIX = new PostfixWarningParser();
    private static final MailParser MAIL = new MailParser();

    private static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    @FuzzTest(maxDuration = "10m")
    void firewallLines(byte[] data) {
        if (FIREWALL.parse(text(data), "fw", Instant.EPOCH) instanceof ParseOutcome.Parsed<FirewallEvent> p) {
            FirewallEvent e = p.event();
            assertThat(e.sourcePort()).isBetween(-1, 65535);
            assertThat(e.destinationPort()).isBetween(-1, 65535);
            assertThat(e.action()).isNotNull();
        }
    }

    @FuzzTest(maxDuration = "10m")
    void windowsEvents(byte[] data) {
        WINDOWS.parse(text(data));
    }

    @FuzzTest(maxDuration = "10m")
    void proxyLines(byte[] data) {
        PROXY.parse(text(data));
    }

    @FuzzTest(maxDuration = "10m")
    void squidLogformats(byte[] data) {
        String s = text(data);
        int split = s.indexOf('\n');
        SquidLogFormat format;
        try {
            format = SquidLogFormat.compile(split < 0 ? s : s.substring(0, split));
        } catch (IllegalArgumentException refused) {
            return;
        }
        format.read(split < 0 ? "" : s.substring(split + 1), "x");
    }

    @FuzzTest(maxDuration = "10m")
    void postfixWarnings(byte[] data) {
        POSTFIX.parse(text(data), Instant.EPOCH);
    }

    @FuzzTest(maxDuration = "10m")
    void mimeMessages(byte[] data) throws IOException {
        try {
            MAIL.parse(new ByteArrayInputStream(data), Instant.EPOCH, null, null, null);
        } catch (MailParser.MalformedMailException refused) {
            // a refusal is an answer
        }
    }

    @FuzzTest(maxDuration = "10m")
    void indicatorLists(byte[] data) throws IOException {
        List<Indicators.Problem> problems = new ArrayList<>();
        Indicators.Builder b = new Indicators.Builder();
        b.read("plain", new StringReader(text(data)), problems);
        b.readCsv("csv", new StringReader(text(data)), "1", problems);
        try {
            b.readStix("stix", new ByteArrayInputStream(data), problems);
        } catch (IOException refused) {
            // not a bundle
        }
        Indicators i = b.build();
        i.matchIp("10.0.0.1");
        i.matchDomain("a.example");
        i.matchUrl("a.example", "/x");
    }
}
