package dev.mamori.detectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.mamori.detectors.mail.MailParser;
import dev.mamori.detectors.mail.PostfixWarningParser;
import dev.mamori.detectors.proxy.ProxyLogParser;
import dev.mamori.detectors.windows.WindowsParsers;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated real-format input never makes a parser throw anything but its own "malformed" answer:
 * each parser of outside input must survive whatever a sender puts on the wire.
 */
class ParserRobustnessTest {

    private static final Random RANDOM = new Random(20261128);

    private static String mutate(String s, Random r) {
        char[] c = s.toCharArray();
        int edits = 1 + r.nextInt(8);
        for (int i = 0; i < edits; i++) {
            int at = r.nextInt(c.length);
            c[at] = switch (r.nextInt(4)) {
                case 0 -> (char) r.nextInt(0x3000);
                case 1 -> "<>\"'=;:/\\[]{} \t\n".charAt(r.nextInt(16));
                case 2 -> (char) ('0' + r.nextInt(10));
                default -> c[r.nextInt(c.length)];
            };
        }
        String out = new String(c);
        return r.nextBoolean() ? out : out.substring(0, r.nextInt(out.length() + 1));
    }

    @Test
    void windowsParsers() {
        WindowsParsers parsers = new WindowsParsers(ZoneOffset.UTC);
        List<String> seeds = List.of(
                "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System><Provider Name=\"P\"/>"
                        + "<EventID>4624</EventID><TimeCreated SystemTime=\"2026-11-28T01:02:03Z\"/><Computer>H</Computer>"
                        + "</System><EventData><Data Name=\"TargetUserName\">a</Data></EventData></Event>",
                "{\"EventID\":4625,\"Hostname\":\"H\",\"TargetUserName\":\"a\",\"Status\":\"0xc000006d\"}",
                "{\"winlog\":{\"event_id\":4769,\"event_data\":{\"Status\":\"0xF\"}},\"@timestamp\":\"2026-11-28T01:02:03Z\"}",
                "MSWinEventLog\t1\tSecurity\t1\tSat Nov 28 01:02:03 2026\t4624\tP\tN/A\tN/A\tAudit\tH\tLogon\t\t"
                        + "Subject: Account Name: a Account Domain: D\t1");
        for (int i = 0; i < 20_000; i++) {
            String input = mutate(seeds.get(i % seeds.size()), RANDOM);
            assertThatCode(() -> parsers.parse(input)).as(input).doesNotThrowAnyException();
        }
    }

    @Test
    void proxyLogAndPostfixParsers() {
        ProxyLogParser proxy = new ProxyLogParser();
        PostfixWarningParser postfix = new PostfixWarningParser();
        List<String> seeds = List.of(
                "1795836127.810    545 10.1.2.4 TCP_MISS/200 768 POST http://u.example/post - HIER_DIRECT/192.0.2.30 "
                        + "application/json 2051 \"Mozilla/5.0 (X11)\"",
                "10.1.2.5 - bob [28/Nov/2026:10:00:00 +0900] \"GET https://c2.example.net/a HTTP/1.1\" 200 512 \"-\" \"curl\"",
                "4F3A1: warning: header From: \"CEO <ceo@corp.example>\" <x@evil.example> from mx[1.2.3.4]; from=<x@e.x>",
                "4F3A2: warning: header Content-Type: application/octet-stream; name*0*=UTF-8''%E8%AB%8B.exe from mx[1.2.3.4];");
        for (int i = 0; i < 20_000; i++) {
            String input = mutate(seeds.get(i % seeds.size()), RANDOM);
            assertThatCode(() -> {
                proxy.parse(input);
                postfix.parse(input, Instant.EPOCH);
            }).as(input).doesNotThrowAnyException();
        }
    }

    @Test
    void mailParser() {
        MailParser parser = new MailParser();
        String seed = "From: =?UTF-8?B?5bGx55Sw?= <a@b.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed;"
                + " boundary=B\r\n\r\n--B\r\nContent-Type: application/zip; name*0*=UTF-8''x;\r\n name*1*=.zip\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nUEsDBAoAAAAAAAAAIQAAAAAAAAAAAAAAAAUAAABhLmV4ZVBLAQI=\r\n--B--\r\n";
        for (int i = 0; i < 3000; i++) {
            String input = mutate(seed, RANDOM);
            assertThatCode(() -> {
                try {
                    assertThat(parser.parse(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                            Instant.EPOCH, null, null, null)).isNotNull();
                } catch (MailParser.MalformedMailException refused) {
                    // a refusal is an answer
                }
            }).as(input).doesNotThrowAnyException();
        }
    }
}
