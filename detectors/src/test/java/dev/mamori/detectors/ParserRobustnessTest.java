package dev.mamori.detectors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.mail.MailMessage;
import dev.mamori.detectors.mail.MailParser;
import dev.mamori.detectors.mail.PostfixWarningParser;
import dev.mamori.detectors.parse.ParseOutcome;
import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.detectors.proxy.ProxyLogParser;
import dev.mamori.detectors.windows.WindowsEvent;
import dev.mamori.detectors.windows.WindowsParsers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Mutated real-format input never makes a parser throw anything but its own "malformed" answer:
 * each parser of outside input must survive whatever a sender puts on the wire. Each test also shows
 * the unmutated seeds parse and that mutations reach both the parsed and the refused outcome, so a
 * parser that refused everything (or threw and was caught somewhere) cannot pass.
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

    /** Runs {@code parse} on each input; an exception is an internal error, never an answer. */
    private static <T> Map<String, Integer> outcomes(
            List<String> inputs, Function<String, T> parse, Function<T, String> kind) {
        Map<String, Integer> seen = new TreeMap<>();
        for (String input : inputs) {
            T result;
            try {
                result = parse.apply(input);
            } catch (RuntimeException internal) {
                throw new AssertionError("internal error (the router would count it as failed) on: " + input, internal);
            }
            seen.merge(kind.apply(result), 1, Integer::sum);
        }
        return seen;
    }

    private static List<String> mutations(List<String> seeds, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(mutate(seeds.get(i % seeds.size()), RANDOM));
        }
        return out;
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
        Function<ParseOutcome<WindowsEvent>, String> kind = r -> r.getClass().getSimpleName();
        assertThat(outcomes(seeds, parsers::parse, kind))
                .as("the unmutated seeds parse")
                .containsExactly(Map.entry("Parsed", 4));
        assertThat(outcomes(mutations(seeds, 20_000), parsers::parse, kind))
                .as("both outcomes occur")
                .containsKeys("Parsed", "Malformed");
    }

    @Test
    void proxyLogAndPostfixParsers() {
        ProxyLogParser proxy = new ProxyLogParser();
        PostfixWarningParser postfix = new PostfixWarningParser();
        List<String> proxySeeds = List.of(
                "1795836127.810    545 10.1.2.4 TCP_MISS/200 768 POST http://u.example/post - HIER_DIRECT/192.0.2.30 "
                        + "application/json 2051 \"Mozilla/5.0 (X11)\"",
                "10.1.2.5 - bob [28/Nov/2026:10:00:00 +0900] \"GET https://c2.example.net/a HTTP/1.1\" 200 512 \"-\" \"curl\"");
        List<String> postfixSeeds = List.of(
                "4F3A1: warning: header From: \"CEO <ceo@corp.example>\" <x@evil.example> from mx[1.2.3.4]; from=<x@e.x>",
                "4F3A2: warning: header Content-Type: application/octet-stream; name*0*=UTF-8''%E8%AB%8B.exe from mx[1.2.3.4];");
        Function<ParseOutcome<ProxyEvent>, String> kind = r -> r.getClass().getSimpleName();
        assertThat(outcomes(proxySeeds, proxy::parse, kind)).containsExactly(Map.entry("Parsed", 2));
        assertThat(outcomes(mutations(proxySeeds, 20_000), proxy::parse, kind)).containsKeys("Parsed", "Malformed");
        Function<String, MailMessage> readPostfix = line -> postfix.parse(line, Instant.EPOCH);
        Function<MailMessage, String> found = m -> m == null ? "none" : "message";
        assertThat(outcomes(postfixSeeds, readPostfix, found)).containsExactly(Map.entry("message", 2));
        assertThat(outcomes(mutations(postfixSeeds, 20_000), readPostfix, found))
                .containsKeys("message", "none");
    }

    @Test
    void mailParser() {
        MailParser parser = new MailParser();
        String seed = "From: =?UTF-8?B?5bGx55Sw?= <a@b.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed;"
                + " boundary=B\r\n\r\n--B\r\nContent-Type: application/zip; name*0*=UTF-8''x;\r\n name*1*=.zip\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nUEsDBAoAAAAAAAAAIQAAAAAAAAAAAAAAAAUAAABhLmV4ZVBLAQI=\r\n--B--\r\n";
        Function<String, String> parse = input -> {
            try {
                MailMessage m = parser.parse(
                        new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                        Instant.EPOCH,
                        null,
                        null,
                        null);
                return m.attachments().isEmpty() ? "no attachment" : "attachment";
            } catch (MailParser.MalformedMailException refused) {
                return "refused";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        assertThat(outcomes(List.of(seed), parse, k -> k))
                .as("the seed's zip member is found")
                .containsExactly(Map.entry("attachment", 1));
        assertThat(outcomes(mutations(List.of(seed), 3000), parse, k -> k)).containsKeys("attachment", "no attachment");
    }
}
