package dev.mamori.bench;

import dev.mamori.detectors.firewall.FirewallParsers;
import dev.mamori.detectors.mail.MailParser;
import dev.mamori.detectors.proxy.ProxyLogParser;
import dev.mamori.detectors.windows.WindowsParsers;
import dev.mamori.protocols.icap.IcapRequestDecoder;
import dev.mamori.protocols.syslog.SyslogParser;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Each parser on its own, one input per operation (a few inputs in turn, so no branch is learnt
 * from a single line): the syslog header parsers (RFC 3164, RFC 5424), the firewall formats, the
 * Squid access log, Windows events as Event XML and as Winlogbeat JSON, a MIME message, and an ICAP
 * REQMOD request as Squid sends one (the decoder in a channel of its own, as a connection has it).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ParserBenchmark {

    @Param({
        "syslog-3164",
        "syslog-5424",
        "fortigate",
        "cisco-asa",
        "pan-os",
        "netfilter",
        "squid",
        "windows-xml",
        "winlogbeat",
        "mime",
        "icap-reqmod"
    })
    public String format;

    private static final Instant TIME = Instant.parse("2026-12-04T03:00:01Z");

    private SyslogParser syslog;
    private FirewallParsers firewall;
    private ProxyLogParser proxy;
    private WindowsParsers windows;
    private MailParser mail;
    private EmbeddedChannel icap;
    private String[] inputs;
    private int next;

    @Setup
    public void setup() {
        syslog = new SyslogParser(ZoneOffset.UTC, Clock.systemUTC());
        firewall = new FirewallParsers(ZoneOffset.UTC);
        proxy = new ProxyLogParser();
        windows = new WindowsParsers(ZoneOffset.UTC);
        mail = new MailParser();
        inputs = Samples.of(format).toArray(String[]::new);
        icap = new EmbeddedChannel(new IcapRequestDecoder(65536, 65536));
    }

    @Benchmark
    public Object parse() throws Exception {
        String in = inputs[next++ % inputs.length];
        return switch (format) {
            case "syslog-3164", "syslog-5424" -> syslog.parse(in, "192.0.2.1");
            case "fortigate", "cisco-asa", "pan-os", "netfilter" -> firewall.parse(in, "fw1", TIME);
            case "squid" -> proxy.parse(in, "proxy1", TIME);
            case "windows-xml", "winlogbeat" -> windows.parse(in, "dc1", TIME);
            case "mime" ->
                mail.parse(
                        new ByteArrayInputStream(in.getBytes(StandardCharsets.UTF_8)),
                        TIME,
                        "a@partner.test",
                        List.of("b@corp.test"),
                        "192.0.2.7");
            case "icap-reqmod" -> {
                icap.writeInbound(Unpooled.wrappedBuffer(in.getBytes(StandardCharsets.ISO_8859_1)));
                yield icap.readInbound();
            }
            default -> throw new IllegalArgumentException(format);
        };
    }
}
