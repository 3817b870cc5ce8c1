package dev.mamori.detectors.firewall;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * All firewall formats, tried in a fixed order. Each parser first looks for its own signature
 * (a substring), so a line that is not firewall traffic costs a few {@code indexOf} calls.
 */
public final class FirewallParsers {

    /** The outcome for one line. */
    public sealed interface Result permits Parsed, Malformed, NotFirewall {
    }

    public record Parsed(FirewallEvent event) implements Result {
    }

    /** The line carried {@code format}'s signature but could not be read. */
    public record Malformed(String format, String reason) implements Result {
    }

    public record NotFirewall() implements Result {
    }

    private static final NotFirewall NOT_FIREWALL = new NotFirewall();

    private final List<FirewallLogParser> parsers;

    public FirewallParsers(ZoneId deviceZone) {
        this.parsers = List.of(new PanOsTrafficParser(deviceZone), new FortiGateParser(), new CiscoAsaParser(),
                new NetfilterParser(), new CefParser());
    }

    public List<String> formats() {
        return parsers.stream().map(FirewallLogParser::format).toList();
    }

    public Result parse(String message, String device, Instant time) {
        for (FirewallLogParser p : parsers) {
            try {
                FirewallEvent e = p.parse(message, device, time);
                if (e != null) {
                    return new Parsed(e);
                }
            } catch (MalformedLogException e) {
                return new Malformed(p.format(), e.getMessage());
            }
        }
        return NOT_FIREWALL;
    }
}
