package dev.mamori.detectors.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.parse.ParseOutcome;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** One realistic line per vendor family and message shape; the data is this project's own. */
class FirewallParsersTest {

    private static final Instant SYSLOG_TIME = Instant.parse("2026-11-28T03:00:00Z");
    private final FirewallParsers parsers = new FirewallParsers(ZoneId.of("Asia/Tokyo"));

    private FirewallEvent parse(String message) {
        ParseOutcome<FirewallEvent> r = parsers.parse(message, "fw-test", SYSLOG_TIME);
        assertThat(r).as(message).isInstanceOf(ParseOutcome.Parsed.class);
        return ((ParseOutcome.Parsed<FirewallEvent>) r).event();
    }

    @Test
    void panOsTrafficEndAllowed() {
        FirewallEvent e = parse("1,2026/11/28 12:09:07,0123456789,TRAFFIC,end,2561,2026/11/28 12:09:07,"
                + "192.168.15.207,203.0.113.80,198.51.100.2,203.0.113.80,allow-web,,,ssl,vsys1,trust,untrust,"
                + "ethernet1/2,ethernet1/1,fwd-log,2026/11/28 12:09:07,22751,1,55113,443,16418,443,0x400053,tcp,"
                + "allow,7734,1758,5976,36,2026/11/28 11:59:04,586,computer-and-internet-info,0,32091112,0x0,"
                + "192.168.0.0-192.168.255.255,\"Japan, Tokyo\",0,20,16");
        assertThat(e.format()).isEqualTo("panos");
        assertThat(e.action()).isEqualTo(FirewallAction.ALLOW);
        assertThat(e.sourceIp()).isEqualTo("192.168.15.207");
        assertThat(e.sourcePort()).isEqualTo(55113);
        assertThat(e.destinationIp()).isEqualTo("203.0.113.80");
        assertThat(e.destinationPort()).isEqualTo(443);
        assertThat(e.sourceZone()).isEqualTo("trust");
        assertThat(e.destinationZone()).isEqualTo("untrust");
        assertThat(e.protocol()).isEqualTo("tcp");
        assertThat(e.bytes()).isEqualTo(7734);
        assertThat(e.time()).isEqualTo(Instant.parse("2026-11-28T03:09:07Z"));
    }

    @Test
    void panOsDenySubtypeBehindARelayedSyslogHeader() {
        FirewallEvent e = parse("Nov 28 03:00:01 pa-fw1 1,2026/11/28 03:00:01,0011C100,TRAFFIC,deny,2561,"
                + "2026/11/28 03:00:01,10.1.2.3,198.51.100.7,0.0.0.0,0.0.0.0,block-out,,,not-applicable,vsys1,trust,"
                + "untrust,ethernet1/2,,fwd-log,2026/11/28 03:00:01,0,1,50123,8080,0,0,0x0,tcp,allow,74,74,0,1,"
                + "2026/11/28 03:00:01,0,any,0,1,0x0,10.0.0.0-10.255.255.255,United States,0,1,0");
        assertThat(e.action()).isEqualTo(FirewallAction.DENY);
        assertThat(e.destinationPort()).isEqualTo(8080);
        assertThat(e.original()).startsWith("1,2026/11/28 03:00:01,0011C100,TRAFFIC");
    }

    @Test
    void panOsTruncatedRecordIsMalformedNotIgnored() {
        ParseOutcome<FirewallEvent> r =
                parsers.parse("1,2026/11/28 03:00:01,0011C100,TRAFFIC,end,2561,x,10.1.2.3", "fw", SYSLOG_TIME);
        assertThat(r)
                .isInstanceOfSatisfying(
                        ParseOutcome.Malformed.class,
                        m -> assertThat(m.format()).isEqualTo("panos"));
    }

    @Test
    void fortiGateTrafficDenyWithWanRole() {
        FirewallEvent e = parse("date=2026-11-28 time=12:16:08 devname=\"fgt-tokyo\" devid=\"FG100F\" "
                + "logid=\"0000000013\" type=\"traffic\" subtype=\"forward\" level=\"notice\" vd=\"root\" "
                + "eventtime=1795835768 srcip=10.10.10.10 srcport=60899 srcintf=\"internal\" srcintfrole=\"lan\" "
                + "dstip=203.0.113.13 dstport=25 dstintf=\"port1\" dstintfrole=\"wan\" sessionid=155313 proto=6 "
                + "action=\"deny\" policyid=0 policytype=\"policy\" service=\"SMTP\" sentbyte=0 rcvdbyte=0");
        assertThat(e.format()).isEqualTo("fortigate");
        assertThat(e.device()).isEqualTo("fgt-tokyo");
        assertThat(e.action()).isEqualTo(FirewallAction.DENY);
        assertThat(e.protocol()).isEqualTo("tcp");
        assertThat(e.destinationPort()).isEqualTo(25);
        assertThat(e.sourceZone()).isEqualTo("internal");
        assertThat(e.destinationZone()).isEqualTo("wan");
        assertThat(e.bytes()).isZero();
        assertThat(e.time()).isEqualTo(Instant.ofEpochSecond(1795835768));
    }

    @Test
    void fortiGateAcceptedAndClosedSessionsAreAllowedAndUtmLogsAreNotTraffic() {
        FirewallEvent e = parse("date=2026-11-28 time=11:37:47 type=\"traffic\" subtype=\"forward\" "
                + "eventtime=1795835767369913239 srcip=10.1.100.11 srcport=58012 srcintf=\"port12\" "
                + "dstip=198.51.100.42 dstport=80 dstintf=\"port11\" proto=6 action=\"close\" sentbyte=1020 "
                + "rcvdbyte=2030");
        assertThat(e.action()).isEqualTo(FirewallAction.ALLOW);
        assertThat(e.bytes()).isEqualTo(3050);
        assertThat(e.time()).isEqualTo(Instant.ofEpochSecond(1795835767L, 369913239));
        assertThat(parsers.parse(
                        "date=2026-11-28 type=\"utm\" subtype=\"webfilter\" srcip=10.0.0.1 dstip=1.2.3.4",
                        "fw",
                        SYSLOG_TIME))
                .isInstanceOf(ParseOutcome.NotMine.class);
    }

    @Test
    void ciscoAsaDenyByAccessGroupWithPrefixedInterface() {
        FirewallEvent e = parse("%ASA-4-106023: Deny udp src v1:inside:10.8.1.9/54864 dst outside:203.0.113.3/53 "
                + "by access-group \"inside_acl\" [0x0, 0x0]");
        assertThat(e.format()).isEqualTo("cisco_asa");
        assertThat(e.action()).isEqualTo(FirewallAction.DENY);
        assertThat(e.sourceIp()).isEqualTo("10.8.1.9");
        assertThat(e.sourceZone()).isEqualTo("inside");
        assertThat(e.destinationIp()).isEqualTo("203.0.113.3");
        assertThat(e.destinationPort()).isEqualTo(53);
        assertThat(e.destinationZone()).isEqualTo("outside");
        assertThat(e.protocol()).isEqualTo("udp");
    }

    @Test
    void ciscoAsaIcmpDenyWithoutPorts() {
        FirewallEvent e = parse("%ASA-4-106023: Deny icmp src inside:10.1.1.5 dst outside:198.51.100.9 (type 8, "
                + "code 0) by access-group \"in\" [0x0, 0x0]");
        assertThat(e.sourcePort()).isEqualTo(-1);
        assertThat(e.destinationPort()).isEqualTo(-1);
        assertThat(e.protocol()).isEqualTo("icmp");
    }

    @Test
    void ciscoAsaBuiltOutboundMeansTheInsideHostStartedIt() {
        FirewallEvent e = parse("Oct 10 2026 12:34:56 asa1 : %ASA-6-302013: Built outbound TCP connection 11757 "
                + "for outside:198.51.100.104/80 (198.51.100.104/80) to inside:172.31.98.44/1772 "
                + "(203.0.113.5/1772)");
        assertThat(e.action()).isEqualTo(FirewallAction.ALLOW);
        assertThat(e.sourceIp()).isEqualTo("172.31.98.44");
        assertThat(e.destinationIp()).isEqualTo("198.51.100.104");
        assertThat(e.destinationPort()).isEqualTo(80);
        FirewallEvent in = parse("%ASA-6-302015: Built inbound UDP connection 5 for outside:198.51.100.1/5353 "
                + "(198.51.100.1/5353) to dmz:172.16.0.10/53 (203.0.113.10/53)");
        assertThat(in.sourceIp()).isEqualTo("198.51.100.1");
        assertThat(in.destinationZone()).isEqualTo("dmz");
    }

    @Test
    void ciscoAsaTeardownCarriesBytes() {
        FirewallEvent e = parse("%ASA-6-302014: Teardown TCP connection 11749 for outside:198.51.100.242/443 to "
                + "inside:172.31.98.44/1758 duration 0:01:07 bytes 38110 TCP Reset-I");
        assertThat(e.bytes()).isEqualTo(38110);
        assertThat(e.sourceIp()).isEqualTo("172.31.98.44");
        assertThat(e.destinationPort()).isEqualTo(443);
    }

    @Test
    void ciscoAsaOtherDenyForms() {
        assertThat(parse("%ASA-2-106001: Inbound TCP connection denied from 198.51.100.3/4444 to 10.0.0.5/3389 "
                                + "flags SYN  on interface outside")
                        .sourceZone())
                .isEqualTo("outside");
        assertThat(parse("%ASA-2-106006: Deny inbound UDP from 198.51.100.3/137 to 10.0.0.5/137 on interface "
                                + "outside")
                        .destinationPort())
                .isEqualTo(137);
        assertThat(parse("%ASA-2-106007: Deny inbound UDP from 198.51.100.3/53 to 10.0.0.5/5353 due to DNS "
                                + "Response")
                        .action())
                .isEqualTo(FirewallAction.DENY);
        assertThat(parse("%ASA-3-106014: Deny inbound icmp src outside:198.51.100.3 dst inside:10.0.0.5 (type 8, "
                                + "code 0)")
                        .protocol())
                .isEqualTo("icmp");
        assertThat(parse("%ASA-6-106015: Deny TCP (no connection) from 10.0.0.5/445 to 198.51.100.3/50000 flags "
                                + "RST  on interface inside")
                        .sourceZone())
                .isEqualTo("inside");
        FirewallEvent acl = parse("%ASA-6-106100: access-list inside_in denied tcp inside/10.0.0.5(51515) -> "
                + "outside/203.0.113.25(25) hit-cnt 1 first hit [0x91c26a3, 0x0]");
        assertThat(acl.action()).isEqualTo(FirewallAction.DENY);
        assertThat(acl.destinationPort()).isEqualTo(25);
        assertThat(acl.destinationZone()).isEqualTo("outside");
        assertThat(parse("%ASA-6-106100: access-list inside_in permitted udp inside/10.0.0.5(5353) -> "
                                + "outside/203.0.113.25(53) hit-cnt 1 first hit [0x1, 0x0]")
                        .action())
                .isEqualTo(FirewallAction.ALLOW);
        assertThat(parse("%FTD-3-710003: TCP access denied by ACL from 198.51.100.7/2222 to outside:203.0.113.1/22")
                        .destinationZone())
                .isEqualTo("outside");
    }

    @Test
    void ciscoIpv6Endpoints() {
        FirewallEvent e = parse("%ASA-4-106023: Deny tcp src inside:2001:db8::5/50000 dst outside:2001:db8:ff::1/443 "
                + "by access-group \"in6\" [0x0, 0x0]");
        assertThat(e.sourceIp()).isEqualTo("2001:db8::5");
        assertThat(e.destinationIp()).isEqualTo("2001:db8:ff::1");
        assertThat(e.destinationPort()).isEqualTo(443);
    }

    @Test
    void ciscoNonTrafficMessagesAreNotFirewallEvents() {
        assertThat(parsers.parse(
                        "%ASA-5-111008: User 'enable_15' executed the 'write memory' command.", "fw", SYSLOG_TIME))
                .isInstanceOf(ParseOutcome.NotMine.class);
    }

    @Test
    void netfilterPrefixesGiveTheVerdict() {
        FirewallEvent e = parse("iptables DROP_OUTPUT: IN= OUT=eth0 MAC= SRC=10.4.0.5 DST=198.51.100.15 LEN=60 "
                + "TOS=0x00 PREC=0x00 TTL=64 ID=0 DF PROTO=TCP SPT=38842 DPT=443 WINDOW=2853 RES=0x00 SYN URGP=0");
        assertThat(e.format()).isEqualTo("netfilter");
        assertThat(e.action()).isEqualTo(FirewallAction.DROP);
        assertThat(e.sourceZone()).isNull();
        assertThat(e.destinationZone()).isEqualTo("eth0");
        assertThat(e.protocol()).isEqualTo("tcp");
        assertThat(e.destinationPort()).isEqualTo(443);
        assertThat(e.bytes()).isEqualTo(60);
        assertThat(parse("[wan-lan-default-D]IN=eth0 OUT=eth1 SRC=198.51.100.15 DST=10.4.0.5 LEN=52 PROTO=TCP "
                                + "SPT=38842 DPT=443")
                        .action())
                .isEqualTo(FirewallAction.DENY);
        assertThat(parse("[UFW ALLOW] IN=eth0 OUT= SRC=10.0.0.2 DST=10.0.0.1 LEN=52 PROTO=TCP SPT=1 DPT=22")
                        .action())
                .isEqualTo(FirewallAction.ALLOW);
        assertThat(parse("FW-REJECT IN=eth1 OUT=eth0 SRC=10.0.0.2 DST=198.51.100.1 LEN=52 PROTO=UDP SPT=1 DPT=53")
                        .action())
                .isEqualTo(FirewallAction.REJECT);
        assertThat(parse("IN=eth1 OUT=eth0 SRC=10.0.0.2 DST=198.51.100.1 LEN=84 PROTO=ICMP TYPE=8 CODE=0")
                        .destinationPort())
                .isEqualTo(-1);
    }

    @Test
    void cefFirewallEventWithEscapesAndSpacesInValues() {
        FirewallEvent e = parse("CEF:0|Check Point|VPN-1 \\| FireWall-1|R81|drop|Drop|5|act=Drop src=10.2.3.4 "
                + "spt=51000 dst=203.0.113.200 dpt=8080 proto=TCP deviceInboundInterface=eth1 "
                + "deviceOutboundInterface=eth0 msg=rule a\\=b with spaces dvchost=cp-gw1 rt=1795835768000 out=60");
        assertThat(e.format()).isEqualTo("cef");
        assertThat(e.action()).isEqualTo(FirewallAction.DROP);
        assertThat(e.device()).isEqualTo("cp-gw1");
        assertThat(e.sourceIp()).isEqualTo("10.2.3.4");
        assertThat(e.destinationPort()).isEqualTo(8080);
        assertThat(e.protocol()).isEqualTo("tcp");
        assertThat(e.sourceZone()).isEqualTo("eth1");
        assertThat(e.bytes()).isEqualTo(60);
        assertThat(e.time()).isEqualTo(Instant.ofEpochMilli(1795835768000L));
        assertThat(CefParser.extension("a=1 msg=x \\= y b=2", 0))
                .containsEntry("msg", "x = y")
                .containsEntry("b", "2");
    }

    @Test
    void cefWithoutAddressesIsNotTrafficAndBrokenHeaderIsMalformed() {
        assertThat(parsers.parse("CEF:0|Vendor|IDS|1|100|Port scan|7|msg=hello", "fw", SYSLOG_TIME))
                .isInstanceOf(ParseOutcome.NotMine.class);
        assertThat(parsers.parse("CEF:0|Vendor|broken", "fw", SYSLOG_TIME)).isInstanceOf(ParseOutcome.Malformed.class);
    }

    @Test
    void ordinaryLinesAreNotFirewallEvents() {
        assertThat(parsers.parse("sshd[123]: Accepted publickey for admin from 10.0.0.9", "h", SYSLOG_TIME))
                .isInstanceOf(ParseOutcome.NotMine.class);
    }

    @Test
    void noInputMakesAParserThrowAnythingButMalformed() {
        List<String> seeds = List.of(
                "1,2026/11/28 12:09:07,0123456789,TRAFFIC,end,2561,2026/11/28 12:09:07,192.168.15.207,203.0.113.80,"
                        + "198.51.100.2,203.0.113.80,allow-web,,,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1,fwd-log,"
                        + "2026/11/28 12:09:07,22751,1,55113,443,16418,443,0x400053,tcp,allow,7734,1758,5976,36",
                "date=2026-11-28 time=12:16:08 devname=\"fgt-tokyo\" type=\"traffic\" subtype=\"forward\" "
                        + "srcip=10.10.10.10 srcport=60899 srcintf=\"internal\" dstip=203.0.113.13 dstport=25 "
                        + "dstintf=\"port1\" proto=6 action=\"deny\"",
                "%ASA-4-106023: Deny udp src inside:10.8.1.9/54864 dst outside:203.0.113.3/53 by access-group \"in\"",
                "kernel: DROP IN= OUT=eth0 SRC=10.4.0.5 DST=198.51.100.15 LEN=60 PROTO=TCP SPT=40000 DPT=443",
                "CEF:0|Vendor|FW|1|drop|Drop|5|act=Drop src=10.2.3.4 spt=51000 dst=203.0.113.200 dpt=8080 proto=TCP");
        for (String seed : seeds) {
            assertThat(parsers.parse(seed, "fw", SYSLOG_TIME)).as(seed).isInstanceOf(ParseOutcome.Parsed.class);
        }
        // found by this test: a damaged port field is refused, not passed on as port 85113
        assertThat(parsers.parse(
                        "kernel: DROP IN= OUT=eth0 SRC=10.4.0.5 DST=198.51.100.15 PROTO=TCP SPT=85113 DPT=443",
                        "fw",
                        SYSLOG_TIME))
                .isInstanceOf(ParseOutcome.Malformed.class);
        Random r = new Random(42);
        String alphabet = "0123456789.:/ ,=\"|\\-abcdef()";
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < 20_000; i++) {
            char[] c = seeds.get(i % seeds.size()).toCharArray();
            for (int k = 1 + r.nextInt(6); k > 0; k--) {
                c[r.nextInt(c.length)] = alphabet.charAt(r.nextInt(alphabet.length()));
            }
            String line = new String(c, 0, r.nextInt(4) == 0 ? r.nextInt(c.length + 1) : c.length);
            ParseOutcome<FirewallEvent> result = parsers.parse(line, "fw", SYSLOG_TIME);
            outcomes.merge(result.getClass().getSimpleName(), 1, Integer::sum);
            if (result instanceof ParseOutcome.Parsed<FirewallEvent> p) {
                FirewallEvent e = p.event();
                assertThat(e.sourceIp()).as(line).isNotBlank();
                assertThat(e.destinationIp()).as(line).isNotBlank();
                assertThat(e.action()).as(line).isNotNull();
                assertThat(e.sourcePort()).as(line).isBetween(-1, 65535);
                assertThat(e.destinationPort()).as(line).isBetween(-1, 65535);
            } else if (result instanceof ParseOutcome.Malformed<FirewallEvent> m) {
                assertThat(m.reason()).as(line).isNotBlank();
            }
        }
        assertThat(outcomes).as("mutations reach every outcome").containsKeys("Parsed", "Malformed", "NotMine");
    }

    /** The hand-read PAN-OS time is the formatter's for every text it takes, and it refuses the rest. */
    @Test
    void panOsTimeReadByHandAgreesWithTheFormatter() {
        DateTimeFormatter formatter = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");
        Random random = new Random(2026);
        String[] seeds = {"2026/11/28 03:00:01", "2024/02/29 23:59:59", "2025/02/29 00:00:00", "2026/04/31 12:00:00"};
        String alphabet = "0123456789/: 9";
        for (int i = 0; i < 50_000; i++) {
            StringBuilder b = new StringBuilder(seeds[random.nextInt(seeds.length)]);
            for (int k = random.nextInt(3); k > 0; k--) {
                b.setCharAt(random.nextInt(b.length()), alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String t = b.toString();
            LocalDateTime fast = PanOsTrafficParser.plainTime(t);
            if (fast != null) {
                assertThat(fast).as(t).isEqualTo(LocalDateTime.parse(t, formatter));
            }
        }
        assertThat(PanOsTrafficParser.plainTime("2026/11/28 03:00:01"))
                .isEqualTo(LocalDateTime.of(2026, 11, 28, 3, 0, 1));
        assertThat(PanOsTrafficParser.plainTime("2025/02/29 00:00:00"))
                .as("left to the formatter")
                .isNull();
        assertThat(PanOsTrafficParser.plainTime("2026/11/28 24:00:00")).isNull();
    }
}
