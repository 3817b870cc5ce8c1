package dev.mamori.sensor.config;

import java.net.URI;
import java.net.URISyntaxException;

/** Keeps secrets out of what Mamori prints: check-config, logs and /health. */
public final class Secrets {

    static final String HIDDEN = "****";

    private Secrets() {}

    /**
     * A URL with its user info's password and every query value hidden
     * ({@code https://user:****@host/hook?token=****}): webhook URLs often carry credentials.
     */
    public static String redactUrl(String url) {
        if (url == null) {
            return null;
        }
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            return HIDDEN; // cannot tell which part is secret: show none of it
        }
        if (u.getRawAuthority() == null) {
            return url;
        }
        StringBuilder out = new StringBuilder();
        out.append(u.getScheme()).append("://");
        String info = u.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            out.append(colon < 0 ? info : info.substring(0, colon) + ":" + HIDDEN)
                    .append('@');
        }
        out.append(u.getRawAuthority().substring(info == null ? 0 : info.length() + 1));
        if (u.getRawPath() != null) {
            out.append(u.getRawPath());
        }
        if (u.getRawQuery() != null) {
            out.append('?');
            String[] pairs = u.getRawQuery().split("&", -1);
            for (int i = 0; i < pairs.length; i++) {
                int eq = pairs[i].indexOf('=');
                out.append(i > 0 ? "&" : "").append(eq < 0 ? pairs[i] : pairs[i].substring(0, eq + 1) + HIDDEN);
            }
        }
        return out.toString();
    }
}
