package dev.mamori.detectors.firewall;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ArcSight Common Event Format: {@code CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|ext}
 * with the extension keys {@code act src dst spt dpt proto in out deviceInboundInterface
 * deviceOutboundInterface rt dvchost}. Header fields escape {@code \|} and {@code \\}; extension
 * values escape {@code \=} and {@code \\} and may contain spaces (a value ends where the next
 * {@code key=} begins). Events without both {@code src} and {@code dst} are not traffic records.
 */
public final class CefParser implements FirewallLogParser {

    @Override
    public String format() {
        return "cef";
    }

    @Override
    public FirewallEvent parse(String message, String device, Instant time) throws MalformedLogException {
        int start = message.indexOf("CEF:");
        if (start < 0) {
            return null;
        }
        List<String> header = new ArrayList<>(8);
        int i = start + 4;
        StringBuilder field = new StringBuilder();
        while (i < message.length() && header.size() < 7) {
            char c = message.charAt(i);
            if (c == '\\' && i + 1 < message.length()) {
                field.append(message.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c == '|') {
                header.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
            i++;
        }
        if (header.size() < 7) {
            throw new MalformedLogException("CEF header with " + header.size() + " of 7 fields");
        }
        Map<String, String> ext = extension(message, i);
        String src = ext.get("src");
        String dst = ext.get("dst");
        if (src == null || dst == null) {
            return null;
        }
        FirewallAction action = FirewallAction.fromWord(ext.get("act"));
        if (action == null) {
            action = FirewallAction.fromWord(header.get(5));
        }
        if (action == null) {
            action = FirewallAction.ALLOW;
        }
        long in = LogText.longNumber(ext.get("in"));
        long out = LogText.longNumber(ext.get("out"));
        long bytes = in < 0 && out < 0 ? -1 : Math.max(in, 0) + Math.max(out, 0);
        String host = ext.getOrDefault("dvchost", device);
        return new FirewallEvent(
                receiptTime(ext.get("rt"), time),
                host,
                format(),
                action,
                LogText.protocol(ext.get("proto")),
                LogText.ip(src, "src"),
                LogText.port(ext.get("spt"), "spt"),
                LogText.ip(dst, "dst"),
                LogText.port(ext.get("dpt"), "dpt"),
                ext.get("deviceInboundInterface"),
                ext.get("deviceOutboundInterface"),
                bytes,
                message.substring(start));
    }

    /** Extension pairs; a key is the word before an unescaped '='. */
    static Map<String, String> extension(String s, int from) {
        Map<String, String> out = new HashMap<>();
        List<int[]> keys = new ArrayList<>(); // {keyStart, eqIndex}
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == '=' && (i == 0 || s.charAt(i - 1) != '\\')) {
                int k = i - 1;
                while (k >= from && isKeyChar(s.charAt(k))) {
                    k--;
                }
                if (k < i - 1 && (k < from || s.charAt(k) == ' ')) {
                    keys.add(new int[] {k + 1, i});
                }
            }
        }
        for (int n = 0; n < keys.size(); n++) {
            int valueStart = keys.get(n)[1] + 1;
            int valueEnd = n + 1 < keys.size() ? keys.get(n + 1)[0] - 1 : s.length();
            String raw = s.substring(valueStart, Math.max(valueStart, valueEnd)).strip();
            out.putIfAbsent(s.substring(keys.get(n)[0], keys.get(n)[1]), unescape(raw));
        }
        return out;
    }

    private static boolean isKeyChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.';
    }

    private static String unescape(String v) {
        if (v.indexOf('\\') < 0) {
            return v;
        }
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                char n = v.charAt(++i);
                b.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** {@code rt} as epoch milliseconds; other renderings fall back to the syslog time. */
    private static Instant receiptTime(String rt, Instant fallback) {
        long v = LogText.longNumber(rt);
        return v > 100_000_000_000L ? Instant.ofEpochMilli(v) : fallback;
    }
}
