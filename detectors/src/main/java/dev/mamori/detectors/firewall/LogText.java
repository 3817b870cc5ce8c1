package dev.mamori.detectors.firewall;

import dev.mamori.detectors.site.IpSet;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Small scanners shared by the vendor parsers: CSV, key=value, numbers and addresses. */
final class LogText {
    private LogText() {}

    /**
     * The first {@code max} fields of a CSV record (a PAN-OS record has a hundred; 32 are read);
     * double-quoted fields may hold commas and doubled quotes.
     */
    static List<String> csv(String s, int from, int max) {
        List<String> out = new ArrayList<>(Math.min(max, 64));
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = from; i < s.length() && out.size() < max; i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (out.size() < max) {
            out.add(field.toString());
        }
        return out;
    }

    /**
     * A port: -1 when absent or not a number, as vendors leave it out for ICMP; a number outside
     * 0..65535 means the line is damaged, and it is refused rather than passed on as a port.
     */
    static int port(String s, String field) throws MalformedLogException {
        int v = number(s);
        if (v > 65535) {
            throw new MalformedLogException(field + " is not a port: " + s);
        }
        return v;
    }

    /** A port or count, or -1 when absent or not a number. */
    static int number(String s) {
        if (s == null || s.isEmpty() || s.length() > 9) {
            return -1;
        }
        return digits(s, 0, s.length());
    }

    /** The decimal value of {@code s[from, to)} (at most 9 digits), or -1 if any is not an ASCII digit. */
    static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    static long longNumber(String s) {
        if (s == null || s.isEmpty() || s.length() > 19) {
            return -1;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The canonical text of an IP address, or throws naming the field. */
    static String ip(String text, String field) throws MalformedLogException {
        if (IpSet.parseIpv4(text) >= 0) {
            return text; // plain dotted quad is already canonical
        }
        IPAddress a = IpSet.parseAddressOrNull(text);
        if (a == null) {
            throw new MalformedLogException(field + " is not an IP address: '" + text + "'");
        }
        return a.toCanonicalString();
    }

    /** IANA protocol numbers as names, for vendors that log numbers. */
    static String protocol(String p) {
        if (p == null || p.isEmpty()) {
            return null;
        }
        return switch (p) {
            case "1" -> "icmp";
            case "6" -> "tcp";
            case "17" -> "udp";
            case "47" -> "gre";
            case "50" -> "esp";
            case "58" -> "ipv6-icmp";
            default -> p.toLowerCase(Locale.ROOT);
        };
    }
}
