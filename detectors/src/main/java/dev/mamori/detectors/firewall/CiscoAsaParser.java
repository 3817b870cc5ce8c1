package dev.mamori.detectors.firewall;

import dev.mamori.detectors.site.IpSet;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cisco ASA and FTD connection and deny messages ({@code %ASA-n-NNNNNN:} / {@code %FTD-n-NNNNNN:}):
 * 106001, 106006, 106007, 106014, 106015, 106023, 106100, 302013-302016 and 710003. Other message
 * ids are not traffic records and are left to other formats (reported as not recognised).
 *
 * <p>Endpoints are written {@code [interface:]address[/port]}; interfaces may carry a prefix
 * ({@code v1:outside:10.8.1.9/54864}) and addresses may be IPv6, so an endpoint is split at the
 * first colon that leaves a valid address.
 */
public final class CiscoAsaParser implements FirewallLogParser {

    private static final Pattern HEADER = Pattern.compile("%(?:ASA|FTD)-(?:session-)?\\d-(\\d{6}): ");
    private static final String EP = "(\\S+)";

    private static final Pattern INBOUND_DENIED =
            Pattern.compile("^Inbound (\\S+) connection denied from " + EP + " to " + EP + " .*?on interface (\\S+)");
    private static final Pattern DENY_INBOUND =
            Pattern.compile("^Deny inbound (\\S+) from " + EP + " to " + EP + "(?: on interface (\\S+))?");
    private static final Pattern DENY_ICMP =
            Pattern.compile("^Deny (?:inbound|outbound) (icmp) src " + EP + " dst " + EP);
    private static final Pattern DENY_NO_CONNECTION =
            Pattern.compile("^Deny (\\S+) \\(no connection\\) from " + EP + " to " + EP + " .*?on interface (\\S+)");
    private static final Pattern DENY_ACL =
            Pattern.compile("^Deny (\\S+) src " + EP + " dst " + EP + " .*by access-group");
    private static final Pattern ACCESS_LIST =
            Pattern.compile("^access-list \\S+ (permitted|denied|est-allowed) (\\S+) (\\S+?)/(\\S+?)\\((\\d+)\\) -> "
                    + "(\\S+?)/(\\S+?)\\((\\d+)\\)");
    private static final Pattern BUILT =
            Pattern.compile("^Built (inbound|outbound) (\\S+) connection \\S+ for " + EP + " \\(.*?\\) to " + EP);
    private static final Pattern TEARDOWN =
            Pattern.compile("^Teardown (\\S+) connection \\S+ for " + EP + " to " + EP + "(?: .*? bytes (\\d+))?");
    private static final Pattern ACCESS_DENIED =
            Pattern.compile("^(\\S+) access denied by ACL from " + EP + " to " + EP);

    /** One side of a connection as ASA writes it. */
    private record Endpoint(String zone, String ip, int port) {}

    @Override
    public String format() {
        return "cisco_asa";
    }

    @Override
    public FirewallEvent parse(String message, String device, Instant time) throws MalformedLogException {
        int pct = message.indexOf("%ASA-");
        if (pct < 0) {
            pct = message.indexOf("%FTD-");
        }
        if (pct < 0) {
            return null;
        }
        Matcher h = HEADER.matcher(message);
        if (!h.find(pct) || h.start() != pct) {
            return null;
        }
        String id = h.group(1);
        String text = message.substring(h.end());
        String original = message.substring(pct);
        Matcher m;
        switch (id) {
            case "106001" -> {
                m = match(INBOUND_DENIED, text, id);
                return event(
                        time,
                        device,
                        FirewallAction.DENY,
                        m.group(1),
                        ep(m.group(2), m.group(4)),
                        ep(m.group(3), null),
                        -1,
                        original);
            }
            case "106006", "106007" -> {
                m = match(DENY_INBOUND, text, id);
                return event(
                        time,
                        device,
                        FirewallAction.DENY,
                        m.group(1),
                        ep(m.group(2), m.group(4)),
                        ep(m.group(3), null),
                        -1,
                        original);
            }
            case "106014" -> {
                m = match(DENY_ICMP, text, id);
                return event(
                        time,
                        device,
                        FirewallAction.DENY,
                        m.group(1),
                        ep(m.group(2), null),
                        ep(m.group(3), null),
                        -1,
                        original);
            }
            case "106015" -> {
                m = match(DENY_NO_CONNECTION, text, id);
                return event(
                        time,
                        device,
                        FirewallAction.DENY,
                        m.group(1),
                        ep(m.group(2), m.group(4)),
                        ep(m.group(3), null),
                        -1,
                        original);
            }
            case "106023" -> {
                m = match(DENY_ACL, text, id);
                return event(
                        time,
                        device,
                        FirewallAction.DENY,
                        m.group(1),
                        ep(m.group(2), null),
                        ep(m.group(3), null),
                        -1,
                        original);
            }
            case "106100" -> {
                m = match(ACCESS_LIST, text, id);
                FirewallAction action = m.group(1).equals("denied") ? FirewallAction.DENY : FirewallAction.ALLOW;
                Endpoint src = new Endpoint(
                        m.group(3), LogText.ip(m.group(4), "source"), LogText.port(m.group(5), "source port"));
                Endpoint dst = new Endpoint(
                        m.group(6),
                        LogText.ip(m.group(7), "destination"),
                        LogText.port(m.group(8), "destination port"));
                return event(time, device, action, m.group(2), src, dst, -1, original);
            }
            case "302013", "302015" -> {
                m = match(BUILT, text, id);
                Endpoint forSide = ep(m.group(3), null);
                Endpoint toSide = ep(m.group(4), null);
                boolean outbound = m.group(1).equals("outbound");
                return event(
                        time,
                        device,
                        FirewallAction.ALLOW,
                        m.group(2),
                        outbound ? toSide : forSide,
                        outbound ? forSide : toSide,
                        -1,
                        original);
            }
            case "302014", "302016" -> {
                m = match(TEARDOWN, text, id);
                Endpoint forSide = ep(m.group(2), null);
                Endpoint toSide = ep(m.group(3), null);
                // Teardown does not say who initiated: take the well-known (lower) port as the service.
                boolean forIsService = forSide.port() >= 0 && (toSide.port() < 0 || forSide.port() <= toSide.port());
                long bytes = m.group(4) == null ? -1 : LogText.longNumber(m.group(4));
                return event(
                        time,
                        device,
                        FirewallAction.ALLOW,
                        m.group(1),
                        forIsService ? toSide : forSide,
                        forIsService ? forSide : toSide,
                        bytes,
                        original);
            }
            case "710003" -> {
                m = match(ACCESS_DENIED, text, id);
                return event(
                        time,
                        device,
                        FirewallAction.DENY,
                        m.group(1),
                        ep(m.group(2), null),
                        ep(m.group(3), null),
                        -1,
                        original);
            }
            default -> {
                return null;
            }
        }
    }

    private static Matcher match(Pattern p, String text, String id) throws MalformedLogException {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new MalformedLogException("%ASA-" + id + " message in an unexpected form");
        }
        return m;
    }

    private FirewallEvent event(
            Instant time,
            String device,
            FirewallAction action,
            String protocol,
            Endpoint src,
            Endpoint dst,
            long bytes,
            String original) {
        return new FirewallEvent(
                time,
                device,
                format(),
                action,
                protocol.toLowerCase(Locale.ROOT),
                src.ip(),
                src.port(),
                dst.ip(),
                dst.port(),
                src.zone(),
                dst.zone(),
                bytes,
                original);
    }

    /** Parses {@code [iface:]ip[/port]}; {@code zoneOverride} is the interface named elsewhere in the line. */
    private static Endpoint ep(String text, String zoneOverride) throws MalformedLogException {
        String t = text;
        int port = -1;
        int slash = t.lastIndexOf('/');
        if (slash > 0) {
            port = LogText.port(t.substring(slash + 1), "port");
            t = t.substring(0, slash);
        }
        String zone = null;
        String ip = null;
        if (IpSet.parseAddressOrNull(t) != null) {
            ip = t;
        } else {
            for (int c = t.indexOf(':'); c > 0; c = t.indexOf(':', c + 1)) {
                if (IpSet.parseAddressOrNull(t.substring(c + 1)) != null) {
                    zone = t.substring(0, c);
                    ip = t.substring(c + 1);
                    break;
                }
            }
        }
        if (ip == null) {
            throw new MalformedLogException("not an endpoint: '" + text + "'");
        }
        if (zone != null && zone.indexOf(':') >= 0) {
            zone = zone.substring(zone.lastIndexOf(':') + 1);
        }
        return new Endpoint(zoneOverride != null ? zoneOverride : zone, LogText.ip(ip, "address"), port);
    }
}
