package dev.mamori.detectors.firewall;

import java.time.Instant;

/**
 * Fortinet FortiGate traffic logs ({@code key=value}, {@code type="traffic"}). Sessions that
 * ended normally ({@code close}, {@code timeout}, resets) were allowed; {@code deny} and
 * {@code ip-conn} (the connection could not be made) were not. An interface whose role is
 * {@code wan} is reported as zone {@code wan}.
 */
public final class FortiGateParser implements FirewallLogParser {

    @Override
    public String format() {
        return "fortigate";
    }

    @Override
    public FirewallEvent parse(String message, String device, Instant time) throws MalformedLogException {
        int type = message.indexOf("type=");
        if (type < 0
                || message.indexOf("srcip=") < 0
                || !(message.startsWith("\"traffic\"", type + 5) || message.startsWith("traffic ", type + 5))) {
            return null;
        }
        KeyValues kv = new KeyValues(message, 0);
        String src = kv.get("srcip");
        String dst = kv.get("dstip");
        if (src == null || dst == null) {
            throw new MalformedLogException("traffic log without srcip/dstip");
        }
        String actionWord = kv.get("action");
        FirewallAction action =
                "ip-conn".equals(actionWord) ? FirewallAction.DROP : FirewallAction.fromWord(actionWord);
        if (action == null) {
            action = FirewallAction.ALLOW;
        }
        long sent = LogText.longNumber(kv.get("sentbyte"));
        long received = LogText.longNumber(kv.get("rcvdbyte"));
        long bytes = sent < 0 && received < 0 ? -1 : Math.max(sent, 0) + Math.max(received, 0);
        String devname = kv.getOrDefault("devname", device);
        return new FirewallEvent(
                eventTime(kv.get("eventtime"), time),
                devname,
                format(),
                action,
                LogText.protocol(kv.get("proto")),
                LogText.ip(src, "srcip"),
                LogText.port(kv.get("srcport"), "srcport"),
                LogText.ip(dst, "dstip"),
                LogText.port(kv.get("dstport"), "dstport"),
                zone(kv.get("srcintf"), kv.get("srcintfrole")),
                zone(kv.get("dstintf"), kv.get("dstintfrole")),
                bytes,
                message);
    }

    private static String zone(String intf, String role) {
        return "wan".equals(role) ? "wan" : intf;
    }

    /** {@code eventtime} is epoch seconds, or milli/micro/nanoseconds on newer firmware. */
    private static Instant eventTime(String text, Instant fallback) {
        long v = LogText.longNumber(text);
        if (v <= 0) {
            return fallback;
        }
        int digits = text.length();
        if (digits >= 18) {
            return Instant.ofEpochSecond(v / 1_000_000_000L, v % 1_000_000_000L);
        }
        if (digits >= 15) {
            return Instant.ofEpochSecond(v / 1_000_000L, (v % 1_000_000L) * 1000);
        }
        if (digits >= 12) {
            return Instant.ofEpochMilli(v);
        }
        return Instant.ofEpochSecond(v);
    }
}
