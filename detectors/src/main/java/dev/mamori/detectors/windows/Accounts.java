package dev.mamori.detectors.windows;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Account names as Windows writes them, and the built-in ones no detection should flag. */
public final class Accounts {

    private static final Set<String> BUILT_IN =
            Set.of("system", "local service", "network service", "anonymous logon", "localservice", "networkservice");
    private static final Pattern VIRTUAL = Pattern.compile("(?i)(dwm|umfd)-\\d+");

    private Accounts() {}

    /** {@code alice} from {@code CORP\alice}, {@code alice@CORP.EXAMPLE.COM} or {@code alice}; lower case. */
    public static String normalise(String account) {
        if (account == null) {
            return null;
        }
        String a = account.strip();
        int slash = a.lastIndexOf('\\');
        if (slash >= 0) {
            a = a.substring(slash + 1);
        }
        int at = a.indexOf('@');
        if (at > 0) {
            a = a.substring(0, at);
        }
        return a.isEmpty() || a.equals("-") ? null : a.toLowerCase(Locale.ROOT);
    }

    /** Service, machine ({@code NAME$}) and per-session virtual accounts (DWM-n, UMFD-n). */
    public static boolean isBuiltIn(String account) {
        String a = normalise(account);
        return a == null
                || BUILT_IN.contains(a)
                || a.endsWith("$")
                || VIRTUAL.matcher(a).matches();
    }

    /** An address without the IPv4-mapped IPv6 prefix Kerberos events carry ({@code ::ffff:10.1.2.3}). */
    public static String address(String ip) {
        if (ip == null || ip.isBlank() || ip.equals("-")) {
            return null;
        }
        String a = ip.strip();
        return a.regionMatches(true, 0, "::ffff:", 0, 7) && a.indexOf('.') > 0 ? a.substring(7) : a;
    }
}
