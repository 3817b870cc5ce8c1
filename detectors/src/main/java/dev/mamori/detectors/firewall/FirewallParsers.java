package dev.mamori.detectors.firewall;

import dev.mamori.detectors.parse.LogFormat;
import dev.mamori.detectors.parse.ParseOutcome;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * All firewall formats, tried in a fixed order. Each parser first looks for its own signature
 * (a substring), so a line that is not firewall traffic costs a few {@code indexOf} calls.
 */
public final class FirewallParsers implements LogFormat<FirewallEvent> {

    private final List<FirewallLogParser> parsers;

    public FirewallParsers(ZoneId deviceZone) {
        this.parsers = List.of(
                new PanOsTrafficParser(deviceZone),
                new FortiGateParser(),
                new CiscoAsaParser(),
                new NetfilterParser(),
                new CefParser());
    }

    public List<String> formats() {
        return parsers.stream().map(FirewallLogParser::format).toList();
    }

    @Override
    public String family() {
        return "firewall";
    }

    @Override
    public ParseOutcome<FirewallEvent> parse(String message, String device, Instant time) {
        for (FirewallLogParser p : parsers) {
            try {
                FirewallEvent e = p.parse(message, device, time);
                if (e != null) {
                    return ParseOutcome.parsed(e.format(), e);
                }
            } catch (MalformedLogException e) {
                return ParseOutcome.malformed(p.format(), e.getMessage());
            }
        }
        return ParseOutcome.notMine();
    }
}
