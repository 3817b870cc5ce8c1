package dev.mamori.sensor.ingest;

import dev.mamori.detectors.firewall.FirewallEvent;
import dev.mamori.detectors.mail.MailMessage;
import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.detectors.windows.Accounts;
import dev.mamori.detectors.windows.Authentication;
import dev.mamori.detectors.windows.WindowsEvent;
import java.util.List;
import java.util.Locale;

/**
 * The keys an event is routed by when several instances share the work (Kafka): the values the
 * stateful detections of its kind keep their state under, so one key's events, and its state,
 * live on one instance. They are the partition keys of those detections' {@code KeyedState}: the
 * proxy client address, the firewall source address, the normalised account of a Windows
 * authentication (else its subject account, else the computer). The first key is the event's own;
 * a user's authentication failure also names where it came from, since {@code
 * ad.auth_failure_burst} counts per source too (a second copy goes there for the
 * {@link dev.mamori.detectors.rule.MultiKeyed} detections). Empty when the event names none.
 */
public final class RoutingKeys {
    private RoutingKeys() {}

    public static List<String> firewall(FirewallEvent e) {
        return one(e.sourceIp());
    }

    /** The client of a proxy request (also of one seen inline). */
    public static String proxy(ProxyEvent e) {
        return e.client();
    }

    public static List<String> proxyKeys(ProxyEvent e) {
        return one(e.client());
    }

    public static List<String> windows(WindowsEvent e) {
        Authentication a = Authentication.of(e);
        if (a != null) {
            String origin = a.userFailure() ? a.origin() : null;
            return origin == null || origin.equals(a.account()) ? List.of(a.account()) : List.of(a.account(), origin);
        }
        String subject = Accounts.normalise(e.field("SubjectUserName"));
        if (subject != null) {
            return List.of(subject);
        }
        return one(e.computer() == null ? null : e.computer().toLowerCase(Locale.ROOT));
    }

    /** Postfix warnings carry no state: any instance may take them. */
    public static List<String> mail(MailMessage m) {
        return List.of();
    }

    private static List<String> one(String key) {
        return key == null ? List.of() : List.of(key);
    }
}
