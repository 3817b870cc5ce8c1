package dev.mamori.detectors.sigma;

import dev.mamori.detectors.firewall.FirewallEvent;
import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.detectors.windows.WindowsEvent;
import java.util.HashMap;
import java.util.Map;

/**
 * Mamori's events under the field names Sigma rules use: Windows events by their EventData names
 * plus {@code EventID}, {@code Channel}, {@code Provider_Name} and {@code Computer} (Security 4688
 * also under Sysmon 1's names, as Sigma's Windows pipelines map them); proxy events under Sigma's
 * web proxy names ({@code c-uri}, {@code cs-host}, ...); firewall events under its firewall names
 * ({@code src_ip}, {@code dst_port}, ...).
 */
final class SigmaFields {

    /** Security 4688's fields under the names Sigma's process_creation rules use (Sysmon 1's). */
    private static final Map<String, String> SECURITY_4688 = Map.of(
            "Image", "NewProcessName",
            "ParentImage", "ParentProcessName",
            "ProcessId", "NewProcessId",
            "ParentProcessId", "ProcessId",
            "User", "SubjectUserName",
            "LogonId", "SubjectLogonId",
            "IntegrityLevel", "MandatoryLabel");

    private SigmaFields() {}

    static SigmaEvent windows(WindowsEvent e, boolean security4688) {
        return new WindowsView(e, security4688);
    }

    /**
     * A Windows event read in place: the System fields and the renamed ones are answered without
     * copying the event's data, which is most of what a rule reads.
     */
    private static final class WindowsView extends SigmaEvent.Cached {
        private final WindowsEvent e;
        private final boolean security4688;
        private Map<String, String> all;
        private String eventId;

        WindowsView(WindowsEvent e, boolean security4688) {
            this.e = e;
            this.security4688 = security4688;
        }

        @Override
        protected String exact(String name) {
            if (security4688) {
                String renamed = SECURITY_4688.get(name);
                if (renamed != null) {
                    String v = e.data().get(renamed);
                    if (v != null) {
                        return v;
                    }
                }
            }
            return switch (name) {
                case "EventID" -> eventId != null ? eventId : (eventId = Integer.toString(e.eventId()));
                case "Channel" -> e.channel();
                case "Provider_Name" -> e.provider();
                case "Computer" -> e.computer();
                default -> e.data().get(name);
            };
        }

        /** Without building {@link #all}: a rule reading a field the event lacks asks this for every event. */
        @Override
        protected String caseless(String name) {
            if (security4688) {
                for (Map.Entry<String, String> r : SECURITY_4688.entrySet()) {
                    String v = r.getKey().equalsIgnoreCase(name) ? e.data().get(r.getValue()) : null;
                    if (v != null) {
                        return v;
                    }
                }
            }
            for (String system : new String[] {"EventID", "Channel", "Provider_Name", "Computer"}) {
                if (system.equalsIgnoreCase(name)) {
                    return exact(system);
                }
            }
            for (Map.Entry<String, String> f : e.data().entrySet()) {
                if (f.getKey().equalsIgnoreCase(name)) {
                    return f.getValue();
                }
            }
            return null;
        }

        @Override
        protected Map<String, String> all() {
            if (all == null) {
                Map<String, String> f = new HashMap<>(e.data());
                f.put("EventID", Integer.toString(e.eventId()));
                putIfSet(f, "Channel", e.channel());
                putIfSet(f, "Provider_Name", e.provider());
                putIfSet(f, "Computer", e.computer());
                if (security4688) {
                    SECURITY_4688.forEach(
                            (sigma, windows) -> putIfSet(f, sigma, e.data().get(windows)));
                }
                all = f;
            }
            return all;
        }
    }

    static SigmaEvent proxy(ProxyEvent e) {
        Map<String, String> f = new HashMap<>();
        putIfSet(f, "c-ip", e.client());
        putIfSet(f, "cs-method", e.method());
        putIfSet(f, "c-uri", e.url());
        putIfSet(f, "cs-host", e.host());
        putIfSet(f, "r-dns", e.host());
        if (e.port() > 0) {
            f.put("dst_port", Integer.toString(e.port()));
        }
        String path = e.path();
        if (path != null) {
            int q = path.indexOf('?');
            String stem = q < 0 ? path : path.substring(0, q);
            f.put("cs-uri", path);
            f.put("c-uri-stem", stem);
            if (q >= 0) {
                f.put("c-uri-query", path.substring(q + 1));
            }
            int slash = stem.lastIndexOf('/');
            int dot = stem.lastIndexOf('.');
            if (dot > slash && dot < stem.length() - 1) {
                f.put("c-uri-extension", stem.substring(dot + 1));
            }
        }
        putIfSet(f, "c-useragent", e.userAgent());
        if (e.requestBytes() >= 0) {
            f.put("cs-bytes", Long.toString(e.requestBytes()));
        }
        if (e.status() > 0) {
            f.put("sc-status", Integer.toString(e.status()));
        }
        return SigmaEvent.of(f);
    }

    static SigmaEvent firewall(FirewallEvent e) {
        Map<String, String> f = new HashMap<>();
        putIfSet(f, "src_ip", e.sourceIp());
        putIfSet(f, "dst_ip", e.destinationIp());
        if (e.sourcePort() >= 0) {
            f.put("src_port", Integer.toString(e.sourcePort()));
        }
        if (e.destinationPort() >= 0) {
            f.put("dst_port", Integer.toString(e.destinationPort()));
        }
        if (e.action() != null) {
            f.put("action", e.action().label());
            f.put("blocked", Boolean.toString(e.action().blocked()));
        }
        putIfSet(f, "protocol", e.protocol());
        putIfSet(f, "src_zone", e.sourceZone());
        putIfSet(f, "dst_zone", e.destinationZone());
        putIfSet(f, "device", e.device());
        return SigmaEvent.of(f);
    }

    private static void putIfSet(Map<String, String> f, String name, String value) {
        if (value != null) {
            f.put(name, value);
        }
    }
}
