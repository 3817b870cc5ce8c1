package dev.mamori.detectors.sigma;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.windows.WindowsEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The loaded Sigma rules on Windows events. Rules are indexed by channel once, so an event is shown
 * only to the rules of its channel (and, within them, of its event id); the event's fields are
 * read into one view per event, shared by those rules. A match raises an alert with
 * {@code rule.id = sigma:<the rule's id>}, beside whatever the built-in rules raise on the event.
 * Stateless; thread-safe.
 */
public final class SigmaDetection implements Detection<WindowsEvent> {

    /** The name the Sigma engine goes by where a built-in rule would stand (metrics, logs). */
    public static final Rule RULE = new Rule("sigma.rules", Severity.MEDIUM, null);

    /** Security 4688's fields under the names Sigma's process_creation rules use (Sysmon 1's). */
    private static final String[][] SECURITY_4688 = {
        {"Image", "NewProcessName"},
        {"ParentImage", "ParentProcessName"},
        {"ProcessId", "NewProcessId"},
        {"ParentProcessId", "ProcessId"},
        {"User", "SubjectUserName"},
        {"LogonId", "SubjectLogonId"},
        {"IntegrityLevel", "MandatoryLabel"},
    };

    private record Entry(SigmaRule rule, Logsource.Route route) {}

    /** By channel (lower case), then by event id; id -1 holds the rules of any id on the channel. */
    private final Map<String, Map<Integer, List<Entry>>> byChannel = new HashMap<>();

    private final MessageCatalog catalog;
    private final ObserverInput input;
    private final Clock clock;
    private final int rules;
    private final java.util.concurrent.atomic.LongAdder errors = new java.util.concurrent.atomic.LongAdder();

    public SigmaDetection(List<SigmaRule> rules, MessageCatalog catalog, ObserverInput input, Clock clock) {
        this.catalog = catalog;
        this.input = input;
        this.clock = clock;
        int n = 0;
        for (SigmaRule r : rules) {
            if (!r.logsource().kind().equals("windows")) {
                continue;
            }
            n++;
            for (Logsource.Route route : r.logsource().routes()) {
                Map<Integer, List<Entry>> ids = byChannel.computeIfAbsent(route.channel(), k -> new HashMap<>());
                // the logsource's ids, else those the detection demands, else any id
                Set<Integer> wanted = !route.eventIds().isEmpty() ? route.eventIds() : r.eventIds();
                if (wanted.isEmpty()) {
                    ids.computeIfAbsent(-1, k -> new ArrayList<>()).add(new Entry(r, route));
                }
                for (int id : wanted) {
                    ids.computeIfAbsent(id, k -> new ArrayList<>()).add(new Entry(r, route));
                }
            }
        }
        this.rules = n;
    }

    /** How many rules read Windows events. */
    public int windowsRules() {
        return rules;
    }

    /** Rule evaluations that failed (a bug, counted rather than let through to the input). */
    public long errors() {
        return errors.sum();
    }

    @Override
    public Rule rule() {
        return RULE;
    }

    @Override
    public void inspect(WindowsEvent e, AlertSink sink) {
        if (e.channel() == null) {
            return;
        }
        Map<Integer, List<Entry>> ids = byChannel.get(e.channel().toLowerCase(Locale.ROOT));
        if (ids == null) {
            return;
        }
        Views views = new Views(e);
        evaluate(ids.get(e.eventId()), views, e, sink);
        evaluate(ids.get(-1), views, e, sink);
    }

    /** The event's two views, made when a rule first needs one. */
    private static final class Views {
        final WindowsEvent event;
        SigmaEvent plain;
        SigmaEvent security;

        Views(WindowsEvent event) {
            this.event = event;
        }
    }

    private void evaluate(List<Entry> entries, Views views, WindowsEvent e, AlertSink sink) {
        if (entries == null) {
            return;
        }
        for (Entry entry : entries) {
            SigmaEvent view;
            if (entry.route().security4688()) {
                view = views.security != null ? views.security : (views.security = view(e, true));
            } else {
                view = views.plain != null ? views.plain : (views.plain = view(e, false));
            }
            boolean matched;
            try {
                matched = entry.rule().matches(view);
            } catch (RuntimeException bug) {
                // one rule's failure must not keep the event from the others
                errors.increment();
                continue;
            }
            if (matched) {
                sink.emit(alert(entry.rule(), e));
            }
        }
    }

    /** The event's data with its System fields, under Sigma's names. */
    static SigmaEvent view(WindowsEvent e, boolean security4688) {
        Map<String, String> f = new HashMap<>(e.data());
        f.put("EventID", Integer.toString(e.eventId()));
        if (e.channel() != null) {
            f.put("Channel", e.channel());
        }
        if (e.provider() != null) {
            f.put("Provider_Name", e.provider());
        }
        if (e.computer() != null) {
            f.put("Computer", e.computer());
        }
        if (security4688) {
            for (String[] m : SECURITY_4688) {
                String v = e.data().get(m[1]);
                if (v != null) {
                    f.put(m[0], v);
                }
            }
        }
        return SigmaEvent.of(f);
    }

    private Alert alert(SigmaRule r, WindowsEvent e) {
        Map<AlertField, Object> fields = new EnumMap<>(AlertField.class);
        put(fields, AlertField.HOST_NAME, e.computer());
        fields.put(AlertField.WINLOG_EVENT_ID, (long) e.eventId());
        String user = first(e, "TargetUserName", "SubjectUserName", "User");
        put(fields, AlertField.USER_NAME, user);
        put(fields, AlertField.SOURCE_IP, first(e, "IpAddress", "SourceIp", "SourceAddress"));
        if (!r.techniques().isEmpty()) {
            fields.put(AlertField.THREAT_TECHNIQUE_ID, r.techniques().get(0));
        }
        put(fields, AlertField.EVENT_ORIGINAL, e.original());
        Instant at = e.time() != null ? e.time() : clock.instant();
        return new Alert(
                at,
                "sigma:" + r.id(),
                r.title(),
                r.level(),
                catalog.text(
                        "sigma_message",
                        r.title(),
                        e.computer() == null ? "?" : e.computer(),
                        Integer.toString(e.eventId())),
                input,
                catalog.text(
                        "sigma_recommendation",
                        r.description() == null ? r.title() : r.description().strip()),
                fields);
    }

    private static String first(WindowsEvent e, String... names) {
        for (String n : names) {
            String v = e.field(n);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static void put(Map<AlertField, Object> fields, AlertField f, String v) {
        if (v != null && !v.isBlank()) {
            fields.put(f, v);
        }
    }
}
