package dev.mamori.bench;

import java.util.List;

/** Inputs for the benchmarks, written for them in the shapes real devices send (docs/formats.md). */
final class Samples {

    private Samples() {}

    static List<String> of(String format) {
        return switch (format) {
            case "syslog-3164" ->
                List.of(
                        "<134>Dec  4 03:00:01 fw1 kernel: [UFW BLOCK] IN=eth1 OUT=eth0 SRC=10.1.1.5 DST=203.0.113.9 LEN=60"
                                + " PROTO=TCP SPT=51234 DPT=25 SYN",
                        "<166>Dec  4 03:00:02 asa1 %ASA-6-302013: Built outbound TCP connection 11757 for"
                                + " outside:198.51.100.7/443 (198.51.100.7/443) to inside:10.1.1.6/50123 (10.1.1.6/50123)");
            case "syslog-5424" ->
                List.of(
                        "<134>1 2026-12-04T03:00:01Z fg1 - - - - date=2026-12-04 time=03:00:01 devname=\"fg1\""
                                + " type=\"traffic\" action=\"deny\" srcip=10.1.1.5 srcport=51234 dstip=198.51.100.7"
                                + " dstport=8080 proto=6",
                        "<13>1 2026-12-04T03:00:02.123+09:00 dc1 Microsoft-Windows-Security-Auditing 600 - -"
                                + " An account failed to log on.");
            case "fortigate" ->
                List.of(
                        "date=2026-12-04 time=03:00:01 devname=\"fg1\" devid=\"FG100F\" type=\"traffic\""
                                + " subtype=\"forward\" action=\"deny\" srcip=10.1.1.5 srcport=51234 srcintf=\"lan\""
                                + " dstip=198.51.100.7 dstport=8080 dstintf=\"wan1\" proto=6 service=\"HTTP\"",
                        "date=2026-12-04 time=03:00:02 devname=\"fg1\" devid=\"FG100F\" type=\"traffic\""
                                + " subtype=\"forward\" action=\"accept\" srcip=10.1.1.6 srcport=50000 dstip=203.0.113.9"
                                + " dstport=443 proto=6 sentbyte=1200 rcvdbyte=5600");
            case "cisco-asa" ->
                List.of(
                        "%ASA-4-106023: Deny tcp src inside:10.1.1.5/51234 dst outside:203.0.113.9/443 by access-group"
                                + " \"out\" [0x0, 0x0]",
                        "%ASA-6-302013: Built outbound TCP connection 11757 for outside:198.51.100.7/443"
                                + " (198.51.100.7/443) to inside:10.1.1.6/50123 (10.1.1.6/50123)");
            case "pan-os" ->
                List.of("1,2026/12/04 03:00:01,0011C100,TRAFFIC,deny,2561,2026/12/04 03:00:01,10.1.1.5,203.0.113.9,"
                        + "0.0.0.0,0.0.0.0,out,,,not-applicable,vsys1,trust,untrust,ethernet1/2,ethernet1/1,fwd,"
                        + "2026/12/04 03:00:01,1234,1,51234,25,0,0,0x0,tcp,deny,60,60,0,1,2026/12/04 03:00:01,0,"
                        + "any,0,1,0x0,10.0.0.0-10.255.255.255,Japan,0,1,0,policy-deny");
            case "netfilter" ->
                List.of(
                        "kernel: [UFW BLOCK] IN=eth1 OUT=eth0 SRC=10.1.1.5 DST=203.0.113.9 LEN=60 PROTO=TCP SPT=51234"
                                + " DPT=25 SYN",
                        "kernel: DROP IN=eth0 OUT=eth1 SRC=10.1.1.7 DST=192.0.2.44 LEN=52 PROTO=TCP SPT=40000 DPT=8080");
            case "squid" ->
                List.of(
                        "1795836127.810    545 10.1.2.4 TCP_MISS/200 768 POST http://u.example/post -"
                                + " HIER_DIRECT/192.0.2.30 application/json",
                        "1795836128.001     12 10.1.2.5 TCP_TUNNEL/200 5120 CONNECT www.example.test:443 -"
                                + " HIER_DIRECT/198.51.100.20 -");
            case "windows-xml" ->
                List.of("<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System><Provider"
                        + " Name=\"Microsoft-Windows-Security-Auditing\"/><EventID>4769</EventID><TimeCreated"
                        + " SystemTime=\"2026-12-04T01:02:03.456Z\"/><Computer>DC1.corp.test</Computer></System>"
                        + "<EventData><Data Name=\"TargetUserName\">alice@CORP.TEST</Data><Data"
                        + " Name=\"ServiceName\">krbtgt</Data><Data Name=\"IpAddress\">::ffff:10.1.1.5</Data>"
                        + "<Data Name=\"Status\">0x0</Data></EventData></Event>");
            case "winlogbeat" ->
                List.of("{\"@timestamp\":\"2026-12-04T01:02:03.456Z\",\"host\":{\"name\":\"dc1\"},\"winlog\":{"
                        + "\"event_id\":4624,\"computer_name\":\"DC1.corp.test\",\"channel\":\"Security\","
                        + "\"event_data\":{\"TargetUserName\":\"alice\",\"TargetDomainName\":\"CORP\","
                        + "\"LogonType\":\"3\",\"IpAddress\":\"10.1.1.5\"}}}");
            case "mime" ->
                List.of("From: \"ceo@corp.test\" <x@partner.test>\r\nTo: <b@corp.test>\r\n"
                        + "Subject: invoice\r\nMessage-Id: <1@partner.test>\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n"
                        + "Please see the attachment.\r\n".repeat(40)
                        + "--b1\r\nContent-Type: application/zip; name=\"invoice.zip\"\r\n"
                        + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment;"
                        + " filename*=utf-8''invoice.zip\r\n\r\n"
                        + "UEsDBBQAAAAIAAAAIQAAAAAAAAAAAAAAAAALAAAAaW52b2ljZS5leGVQSwECFAAUAAAACAAAACEAAAAA\r\n"
                        + "--b1--\r\n");
            case "icap-reqmod" -> {
                String icap = "REQMOD icap://127.0.0.1:1344/reqmod ICAP/1.0\r\nHost: 127.0.0.1:1344\r\n"
                        + "Date: Fri, 04 Dec 2026 03:00:01 GMT\r\nAllow: 204\r\nX-Client-IP: 10.1.2.3\r\n";
                String get = "GET http://origin.test/hello?x=1 HTTP/1.1\r\nHost: origin.test\r\n"
                        + "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
                        + " (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36\r\nAccept: */*\r\n"
                        + "Accept-Language: ja,en;q=0.8\r\nCookie: s=1\r\n\r\n";
                String connect = "CONNECT mail.example.test:25 HTTP/1.1\r\nHost: mail.example.test:25\r\n"
                        + "User-Agent: curl/8.5.0\r\n\r\n";
                yield List.of(
                        icap + "Encapsulated: req-hdr=0, null-body=" + get.length() + "\r\nPreview: 0\r\n\r\n" + get,
                        icap + "Encapsulated: req-hdr=0, null-body=" + connect.length() + "\r\nPreview: 0\r\n\r\n"
                                + connect);
            }
            case "loggen" ->
                List.of("prg00000[1234]: seq: 0000000042, thread: 0000, runid: 1733292000, stamp:"
                        + " 2026-12-04T06:00:00 " + "PADD".repeat(48));
            default -> throw new IllegalArgumentException("no samples for " + format);
        };
    }
}
