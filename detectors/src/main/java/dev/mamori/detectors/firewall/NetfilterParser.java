package dev.mamori.detectors.firewall;

import java.time.Instant;
import java.util.Locale;

/**
 * Linux netfilter (iptables/nftables) kernel log lines: {@code PREFIX IN=.. OUT=.. SRC=.. DST=..
 * PROTO=.. SPT=.. DPT=..}. The rule's log prefix is the only hint of the verdict: words such as
 * ACCEPT/ALLOW, DROP, REJECT, DENY/BLOCK, or a trailing {@code -A}/{@code -D}/{@code -R} as
 * EdgeOS/UFW-style prefixes write it. Without a hint the packet is taken as dropped, because
 * logging rules are overwhelmingly placed before DROP targets.
 */
public final class NetfilterParser implements FirewallLogParser {

    @Override
    public String format() {
        return "netfilter";
    }

    @Override
    public FirewallEvent parse(String message, String device, Instant time) throws MalformedLogException {
        int in = fieldStart(message, "IN=");
        if (in < 0 || message.indexOf(" SRC=", in) < 0 || message.indexOf(" DST=", in) < 0) {
            return null;
        }
        KeyValues kv = new KeyValues(message, in);
        String src = kv.get("SRC");
        String dst = kv.get("DST");
        if (src == null || dst == null) {
            throw new MalformedLogException("netfilter line without SRC/DST");
        }
        String prefix = message.substring(0, in);
        return new FirewallEvent(
                time,
                device,
                format(),
                verdict(prefix),
                LogText.protocol(kv.get("PROTO")),
                LogText.ip(src, "SRC"),
                LogText.port(kv.get("SPT"), "SPT"),
                LogText.ip(dst, "DST"),
                LogText.port(kv.get("DPT"), "DPT"),
                blankToNull(kv.get("IN")),
                blankToNull(kv.get("OUT")),
                LogText.longNumber(kv.get("LEN")),
                message);
    }

    static FirewallAction verdict(String prefix) {
        String p = prefix.toUpperCase(Locale.ROOT);
        if (p.contains("ACCEPT") || p.contains("ALLOW") || p.contains("PERMIT")) {
            return FirewallAction.ALLOW;
        }
        if (p.contains("REJECT")) {
            return FirewallAction.REJECT;
        }
        if (p.contains("DENY") || p.contains("BLOCK")) {
            return FirewallAction.DENY;
        }
        if (p.contains("DROP")) {
            return FirewallAction.DROP;
        }
        String t = p.strip();
        if (t.endsWith("]")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.endsWith("-A")) {
            return FirewallAction.ALLOW;
        }
        if (t.endsWith("-R")) {
            return FirewallAction.REJECT;
        }
        if (t.endsWith("-D")) {
            return FirewallAction.DENY;
        }
        return FirewallAction.DROP;
    }

    /** Where {@code key} starts as a field of its own (not inside e.g. {@code LOGIN=}), or -1. */
    private static int fieldStart(String s, String key) {
        for (int i = s.indexOf(key); i >= 0; i = s.indexOf(key, i + 1)) {
            if (i == 0 || s.charAt(i - 1) == ' ' || s.charAt(i - 1) == ']' || s.charAt(i - 1) == ':') {
                return i;
            }
        }
        return -1;
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
