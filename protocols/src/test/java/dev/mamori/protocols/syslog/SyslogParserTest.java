package dev.mamori.protocols.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.protocols.syslog.SyslogMessage.Format;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyslogParserTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-28T03:20:00Z"), ZoneOffset.UTC);
    private final SyslogParser utc = new SyslogParser(ZoneOffset.UTC, NOW);

    @Test
    void rfc5424WithStructuredDataAndBom() {
        SyslogMessage m = utc.parse(
                "<165>1 2026-11-28T03:18:26.197338+09:00 fw01.example.jp netfw 4242 DENY "
                        + "[fwevt@32473 action=\"deny\" note=\"a \\\"quoted\\] value\"][timeQuality tzKnown=\"1\"] "
                        + "\uFEFFaction=deny src=10.1.2.3\n",
                "127.0.0.1");
        assertThat(m.format()).isEqualTo(Format.RFC5424);
        assertThat(m.facility()).isEqualTo(20);
        assertThat(m.severity()).isEqualTo(5);
        assertThat(m.timestamp()).isEqualTo(Instant.parse("2026-11-27T18:18:26.197338Z"));
        assertThat(m.hostname()).isEqualTo("fw01.example.jp");
        assertThat(m.appName()).isEqualTo("netfw");
        assertThat(m.procId()).isEqualTo("4242");
        assertThat(m.msgId()).isEqualTo("DENY");
        assertThat(m.structuredData())
                .isEqualTo(
                        "[fwevt@32473 action=\"deny\" note=\"a \\\"quoted\\] value\"]" + "[timeQuality tzKnown=\"1\"]");
        assertThat(m.message()).isEqualTo("action=deny src=10.1.2.3");
    }

    @Test
    void rfc5424WithNilValuesTakesTheSenderAsHost() {
        SyslogMessage m = utc.parse("<13>1 - - fw01 - - - bare action=deny", "192.0.2.9");
        assertThat(m.format()).isEqualTo(Format.RFC5424);
        assertThat(m.timestamp()).isNull();
        assertThat(m.hostname()).isEqualTo("192.0.2.9");
        assertThat(m.appName()).isEqualTo("fw01");
        assertThat(m.structuredData()).isNull();
        assertThat(m.message()).isEqualTo("bare action=deny");
    }

    @Test
    void rfc5424WithoutMessage() {
        SyslogMessage m = utc.parse("<14>1 2026-11-28T03:18:26Z host app - - -", null);
        assertThat(m.format()).isEqualTo(Format.RFC5424);
        assertThat(m.message()).isEmpty();
    }

    @Test
    void rfc3164WithHostAndTag() {
        SyslogMessage m = utc.parse("<164>Nov 28 03:18:26 vm fw01: action=deny src=10.1.2.3", "127.0.0.1");
        assertThat(m.format()).isEqualTo(Format.RFC3164);
        assertThat(m.facility()).isEqualTo(20);
        assertThat(m.severity()).isEqualTo(4);
        assertThat(m.timestamp()).isEqualTo(Instant.parse("2026-11-28T03:18:26Z"));
        assertThat(m.hostname()).isEqualTo("vm");
        assertThat(m.appName()).isEqualTo("fw01");
        assertThat(m.message()).isEqualTo("action=deny src=10.1.2.3");
    }

    @Test
    void rfc3164WithoutHostUsesTheSender() {
        SyslogMessage m = utc.parse("<13>Nov  8 03:18:26 sshd[4711]: Accepted key", "10.0.0.7");
        assertThat(m.hostname()).isEqualTo("10.0.0.7");
        assertThat(m.appName()).isEqualTo("sshd");
        assertThat(m.procId()).isEqualTo("4711");
        assertThat(m.timestamp()).isEqualTo(Instant.parse("2026-11-08T03:18:26Z"));
        assertThat(m.message()).isEqualTo("Accepted key");
    }

    @Test
    void rfc3164TimestampsUseTheSiteZone() {
        SyslogParser tokyo = new SyslogParser(ZoneId.of("Asia/Tokyo"), NOW);
        assertThat(tokyo.parse("<13>Nov 28 12:18:26 fw kernel: x", null).timestamp())
                .isEqualTo(Instant.parse("2026-11-28T03:18:26Z"));
    }

    @Test
    void yearlessTimestampsResolveAroundNewYear() {
        SyslogParser january =
                new SyslogParser(ZoneOffset.UTC, Clock.fixed(Instant.parse("2027-01-01T00:00:30Z"), ZoneOffset.UTC));
        assertThat(january.parse("<13>Dec 31 23:59:58 h a: late", null).timestamp())
                .isEqualTo(Instant.parse("2026-12-31T23:59:58Z"));
        SyslogParser december =
                new SyslogParser(ZoneOffset.UTC, Clock.fixed(Instant.parse("2026-12-31T23:59:59Z"), ZoneOffset.UTC));
        assertThat(december.parse("<13>Jan  1 00:00:01 h a: early clock", null).timestamp())
                .isEqualTo(Instant.parse("2027-01-01T00:00:01Z"));
    }

    /** Whatever the day of the year, a year-less date lands in the year that puts it nearest to now. */
    @Test
    void yearlessTimestampsTakeTheNearestYearAllYearRound() {
        String[] months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        for (Instant now = Instant.parse("2027-01-01T05:00:00Z");
                now.isBefore(Instant.parse("2029-01-05T00:00:00Z"));
                now = now.plus(Duration.ofHours(101))) {
            SyslogParser p = new SyslogParser(ZoneOffset.UTC, Clock.fixed(now, ZoneOffset.UTC));
            int year = now.atZone(ZoneOffset.UTC).getYear();
            for (int m = 1; m <= 12; m++) {
                for (int d : new int[] {1, 15, 28, 29}) {
                    if (m == 2 && d == 29) {
                        continue; // leap days: yearlessTimestampsResolveAroundNewYear's neighbour cases
                    }
                    String line = String.format("<13>%s %2d 12:00:00 h a: x", months[m - 1], d);
                    Instant nearest = null;
                    for (int y = year - 1; y <= year + 1; y++) {
                        Instant c = java.time.LocalDateTime.of(y, m, d, 12, 0).toInstant(ZoneOffset.UTC);
                        if (nearest == null
                                || Duration.between(now, c)
                                                .abs()
                                                .compareTo(Duration.between(now, nearest)
                                                        .abs())
                                        < 0) {
                            nearest = c;
                        }
                    }
                    assertThat(p.parse(line, null).timestamp())
                            .as(line + " at " + now)
                            .isEqualTo(nearest);
                }
            }
        }
    }

    @Test
    void ciscoStyleYearAndRsyslogIsoTimestampsIn3164() {
        SyslogMessage asa = utc.parse("<166>Oct 10 2018 12:34:56 fw-asa : %ASA-6-302013: Built", null);
        assertThat(asa.timestamp()).isEqualTo(Instant.parse("2018-10-10T12:34:56Z"));
        assertThat(asa.hostname()).isEqualTo("fw-asa");
        SyslogMessage fwd = utc.parse("<164>2026-11-28T03:19:05.048176+00:00 rs-sender fw01: action=deny", null);
        assertThat(fwd.format()).isEqualTo(Format.RFC3164);
        assertThat(fwd.timestamp()).isEqualTo(Instant.parse("2026-11-28T03:19:05.048176Z"));
        assertThat(fwd.hostname()).isEqualTo("rs-sender");
        assertThat(fwd.appName()).isEqualTo("fw01");
    }

    @Test
    void isoTimestampWithoutOffsetIsLocalTime() {
        SyslogParser tokyo = new SyslogParser(ZoneId.of("Asia/Tokyo"), NOW);
        SyslogMessage m =
                tokyo.parse("<38>2026-11-28T12:19:58 localhost prg00000[1234]: seq: 0000000000, thread: 0000", null);
        assertThat(m.format()).isEqualTo(Format.RFC3164);
        assertThat(m.timestamp()).isEqualTo(Instant.parse("2026-11-28T03:19:58Z"));
        assertThat(m.hostname()).isEqualTo("localhost");
        assertThat(m.appName()).isEqualTo("prg00000");
        assertThat(m.procId()).isEqualTo("1234");
        assertThat(m.message()).isEqualTo("seq: 0000000000, thread: 0000");
        assertThat(tokyo.parse("<38>2026-11-28T12:19:58.25 h app: x", null).timestamp())
                .isEqualTo(Instant.parse("2026-11-28T03:19:58.25Z"));
        SyslogMessage notATime = tokyo.parse("<38>2026-11-28T25:19:58 h app: x", null);
        assertThat(notATime.timestamp()).isNull();
        assertThat(notATime.message()).isEqualTo("2026-11-28T25:19:58 h app: x");
    }

    @Test
    void headerWithoutPriorityAsInLogFiles() {
        SyslogMessage m = utc.parse("Jan  8 03:37:09 example-host kernel: iptables DROP_INPUT: IN=eth0", null);
        assertThat(m.format()).isEqualTo(Format.RFC3164);
        assertThat(m.facility()).isEqualTo(-1);
        assertThat(m.hostname()).isEqualTo("example-host");
        assertThat(m.appName()).isEqualTo("kernel");
        assertThat(m.message()).isEqualTo("iptables DROP_INPUT: IN=eth0");
    }

    @Test
    void priorityWithoutTimestampKeepsTheRestAsMessage() {
        SyslogMessage m = utc.parse("<189>date=2020-04-23 time=01:16:08 devname=\"fg1\" type=\"traffic\"", "10.9.9.9");
        assertThat(m.format()).isEqualTo(Format.RFC3164);
        assertThat(m.severity()).isEqualTo(5);
        assertThat(m.hostname()).isEqualTo("10.9.9.9");
        assertThat(m.message()).startsWith("date=2020-04-23");
    }

    @Test
    void headerlessLinesAreWholeMessagesFromTheSender() {
        String squid = "1773416922.568    158 10.105.21.199 TCP_TUNNEL/200 28854 CONNECT www.example.com:443 - "
                + "HIER_DIRECT/198.51.100.20 -";
        SyslogMessage m = utc.parse(squid + "\r\n", "127.0.0.1");
        assertThat(m.format()).isEqualTo(Format.HEADERLESS);
        assertThat(m.hostname()).isEqualTo("127.0.0.1");
        assertThat(m.timestamp()).isNull();
        assertThat(m.message()).isEqualTo(squid);
    }

    @Test
    void invalidPriorityIsNotAHeader() {
        assertThat(utc.parse("<999>Nov 28 03:18:26 h a: x", null).format()).isEqualTo(Format.HEADERLESS);
        assertThat(utc.parse("<abc>1 x", null).format()).isEqualTo(Format.HEADERLESS);
    }

    @Test
    void neverThrowsOnArbitraryInput() {
        Random r = new Random(5424);
        Set<Format> formats = EnumSet.noneOf(Format.class);
        String alphabet = "<>1 -[]\"\\:=0123456789NovJanT.+Z\uFEFF\n\rabc";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            int len = r.nextInt(60);
            if (r.nextBoolean()) {
                b.append(r.nextBoolean() ? "<13>1 " : "<13>Nov 28 ");
            }
            for (int k = 0; k < len; k++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String frame = b.toString();
            SyslogMessage m = utc.parse(frame, "s");
            formats.add(m.format());
            // whatever the input: the raw frame is kept (trailing line terminators cut), the message is
            // a piece of it, never invented, the priority is in range or absent, a device is named
            assertThat(m.raw()).as(frame).isEqualTo(frame.replaceAll("[\r\n\u0000]+$", ""));
            assertThat(frame.replace("\uFEFF", ""))
                    .as(frame)
                    .contains(m.message().replace("\uFEFF", ""));
            assertThat(m.facility()).as(frame).isBetween(-1, 23);
            assertThat(m.severity()).as(frame).isBetween(-1, 7);
            assertThat(m.facility() < 0).as(frame).isEqualTo(m.severity() < 0);
            assertThat(m.hostname()).as(frame).isNotBlank();
            if (m.format() == Format.HEADERLESS) {
                assertThat(m.timestamp()).as(frame).isNull();
            }
        }
        assertThat(formats).as("random frames reach every header form").containsExactlyInAnyOrder(Format.values());
    }
}
