package dev.mamori.sensor.ingest;

import dev.mamori.detectors.firewall.FirewallEvent;
import dev.mamori.detectors.mail.MailMessage;
import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.detectors.windows.Accounts;
import dev.mamori.detectors.windows.Authentication;
import dev.mamori.detectors.windows.WindowsEvent;
import java.util.Locale;

/**
 * The key an event is routed by when several instances share the work (Kafka): the value the
 * stateful detections of its kind keep their state under, so one key's events, and its state,
 * live on one instance. It is the partition key of those detections' {@code KeyedState}: the proxy
 * client address, the firewall source address, the normalised account of a Windows authentication
 * (else its subject account, else the computer). Null when the event names none.
 */
public final class RoutingKeys {
    private RoutingKeys() {}

    public static String firewall(FirewallEvent e) {
        return e.sourceIp();
    }

    public static String proxy(ProxyEvent e) {
        return e.client();
    }

    public static String windows(WindowsEvent e) {
        Authentication a = Authentication.of(e);
        if (a != null) {
            return a.account();
        }
        String subject = Accounts.normalise(e.field("SubjectUserName"));
        if (subject != null) {
            return subject;
        }
        return e.computer() == null ? null : e.computer().toLowerCase(Locale.ROOT);
    }

    /** Postfix warnings carry no state: any instance may take them. */
    public static String mail(MailMessage m) {
        return null;
    }
}
