package dev.mamori.detectors.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * RFC 2231 parameter values: {@code name*=charset'lang'percent-encoded} and continuations
 * {@code name*0*=...; name*1*=...} (mime4j decodes these for Content-Disposition filenames but not
 * for Content-Type parameters).
 */
final class Rfc2231 {
    private Rfc2231() {}

    /** The decoded value of parameter {@code name} from raw parameters, or null when absent. */
    static String parameter(Map<String, String> params, String name) {
        String plain = params.get(name);
        if (plain != null) {
            return plain;
        }
        String single = params.get(name + "*");
        if (single != null) {
            return decode(single, true);
        }
        TreeMap<Integer, String> parts = new TreeMap<>();
        boolean firstEncoded = false;
        for (Map.Entry<String, String> e : params.entrySet()) {
            String k = e.getKey();
            if (k == null || e.getValue() == null || !k.startsWith(name + "*") || k.length() <= name.length() + 1) {
                continue;
            }
            String rest = k.substring(name.length() + 1);
            boolean encoded = rest.endsWith("*");
            String index = encoded ? rest.substring(0, rest.length() - 1) : rest;
            try {
                int n = Integer.parseInt(index);
                if (n > 1000) {
                    continue;
                }
                parts.put(n, encoded ? "\u0000" + e.getValue() : e.getValue());
                if (n == 0) {
                    firstEncoded = encoded;
                }
            } catch (NumberFormatException ignored) {
                // not a continuation of this parameter
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        Charset charset = StandardCharsets.UTF_8;
        StringBuilder out = new StringBuilder();
        for (Map.Entry<Integer, String> p : parts.entrySet()) {
            String v = p.getValue();
            boolean encoded = v.startsWith("\u0000");
            if (encoded) {
                v = v.substring(1);
            }
            if (p.getKey() == 0 && firstEncoded) {
                int q1 = v.indexOf('\'');
                int q2 = q1 < 0 ? -1 : v.indexOf('\'', q1 + 1);
                if (q2 > 0) {
                    charset = charset(v.substring(0, q1));
                    v = v.substring(q2 + 1);
                }
            }
            out.append(encoded ? percent(v, charset) : v);
        }
        return out.toString();
    }

    private static String decode(String v, boolean withCharset) {
        Charset charset = StandardCharsets.UTF_8;
        String value = v;
        if (withCharset) {
            int q1 = v.indexOf('\'');
            int q2 = q1 < 0 ? -1 : v.indexOf('\'', q1 + 1);
            if (q2 > 0) {
                charset = charset(v.substring(0, q1));
                value = v.substring(q2 + 1);
            }
        }
        return percent(value, charset);
    }

    private static Charset charset(String name) {
        try {
            return name.isEmpty() ? StandardCharsets.UTF_8 : Charset.forName(name);
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static String percent(String s, Charset charset) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    bytes.write(hi * 16 + lo);
                    i += 2;
                    continue;
                }
            }
            byte[] b = String.valueOf(c).getBytes(charset);
            bytes.write(b, 0, b.length);
        }
        return bytes.toString(charset);
    }
}
