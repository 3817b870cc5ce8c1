package dev.mamori.sensor.health;

import dev.mamori.detectors.firewall.FirewallEvent;
import dev.mamori.detectors.mail.MailMessage;
import dev.mamori.detectors.parse.ParseOutcome;
import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.detectors.rule.Persistent;
import dev.mamori.detectors.sensor.SensorEvent;
import dev.mamori.detectors.site.ExpectedSource;
import dev.mamori.detectors.windows.WindowsEvent;
import dev.mamori.sensor.metrics.SensorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Collection health: which devices are sending, what, and with which clock. Every line the router
 * handles is attributed to a source: an expected one ({@code site.sources}) by the sender's address
 * or its name (a Windows event's Computer before the syslog HOSTNAME, since a Windows Event
 * Collector forwards many computers' events), otherwise a source named after the HOSTNAME.
 * {@link #tick} reports expected sources, and expected event ids, quiet past their
 * {@code max_silence} ({@code sensor.source_silent}); {@link #seen} reports a clock off by more than
 * {@code site.max_clock_skew} ({@code sensor.clock_skew}), once until it is right again.
 *
 * <p>Threads: {@link #seen} runs on input threads, {@link #tick} on the sensor's ticker; each
 * source's figures are guarded by the source itself, the set of sources is a concurrent map bounded
 * by {@code maxSources} (sources past it are counted in {@code mamori_sources_untracked_total}).
 */
public final class SourceTracker implements Persistent<SourceTracker.Entry> {

    /** One source as kept in {@code <state_dir>/sources.json}; times in epoch milliseconds. */
    public record Entry(
            String name,
            String address,
            String host,
            String kind,
            Long lastSeen,
            long events,
            Map<String, Long> formats,
            Map<Integer, Long> eventsLastSeen) {}

    /** One source as {@code GET /api/sources} shows it. */
    public record View(
            String name,
            String address,
            String host,
            String kind,
            boolean expected,
            Instant lastSeen,
            long events,
            Map<String, Long> formats,
            boolean silent,
            List<Integer> silentEvents,
            Long clockSkewSeconds) {}

    private final List<Source> expected = new ArrayList<>();
    private final Map<String, Source> byAddress = new HashMap<>();
    private final Map<String, Source> byHost = new HashMap<>();
    /** Sources seen but not expected, by lower-case name. */
    private final Map<String, Source> others = new ConcurrentHashMap<>();

    private final long maxSkewMillis;
    private final int maxSources;
    private final Clock clock;
    private final Instant started;
    private final SensorMetrics metrics;
    private final Consumer<SensorEvent> notices;
    private final LongAdder untracked = new LongAdder();

    /**
     * @param notices where silence and skew go (the {@code sensor.*} rules); called on the thread that
     *     noticed, so it must not block
     */
    public SourceTracker(
            List<ExpectedSource> sources,
            Duration maxClockSkew,
            int maxSources,
            Clock clock,
            SensorMetrics metrics,
            Consumer<SensorEvent> notices) {
        this.maxSkewMillis = maxClockSkew.toMillis();
        this.maxSources = maxSources;
        this.clock = clock;
        this.started = clock.instant();
        this.metrics = metrics;
        this.notices = notices;
        for (ExpectedSource s : sources) {
            Source src = new Source(s.name(), s.address(), s.host(), s.kind(), s);
            expected.add(src);
            if (s.address() != null) {
                byAddress.put(s.address(), src);
            }
            if (s.host() != null) {
                String h = s.host().toLowerCase(Locale.ROOT);
                byHost.put(h, src);
                byHost.putIfAbsent(shortName(h), src);
            }
            register(src);
        }
        metrics.functionCounter(
                "mamori.sources.untracked",
                "Lines from sources not tracked because sensor.max_sources were tracked already",
                untracked::sum);
    }

    /**
     * Attributes one routed line (and each event it held) to its source.
     *
     * @param sender the address it came from (null when unknown)
     * @param host the syslog HOSTNAME (or the sender when the header had none)
     * @param headerTime the syslog header's time, for events without a time of their own
     */
    public void seen(String sender, String host, Instant headerTime, ParseOutcome<?> outcome) {
        // milliseconds: what the API, the metrics and the state file show, before and after a restart
        // (and the system clock's millis() is cheaper than its instant())
        Instant arrival = Instant.ofEpochMilli(clock.millis());
        if (outcome instanceof ParseOutcome.Parsed<?> p) {
            for (Object event : p.events()) {
                String eventHost = event instanceof WindowsEvent w ? w.computer() : null;
                Source s = identify(sender, host, eventHost, kindOf(event));
                if (s != null) {
                    Integer id = event instanceof WindowsEvent w ? w.eventId() : null;
                    Instant time = timeOf(event, headerTime);
                    s.record(p.format(), arrival, id);
                    if (time != null) {
                        skew(s, time, arrival);
                    }
                }
            }
        } else {
            Source s = identify(sender, host, null, null);
            if (s != null) {
                s.record(outcome instanceof ParseOutcome.Malformed<?> ? "malformed" : "unrecognised", arrival, null);
            }
        }
    }

    private static Instant timeOf(Object event, Instant headerTime) {
        Instant t = null;
        if (event instanceof FirewallEvent f) {
            t = f.time();
        } else if (event instanceof ProxyEvent p) {
            t = p.time();
        } else if (event instanceof WindowsEvent w) {
            t = w.time();
        }
        return t != null ? t : headerTime;
    }

    private static String kindOf(Object event) {
        if (event instanceof FirewallEvent) {
            return "firewall";
        } else if (event instanceof ProxyEvent) {
            return "proxy";
        } else if (event instanceof WindowsEvent) {
            return "windows";
        } else if (event instanceof MailMessage) {
            return "mail";
        }
        return "unknown";
    }

    private Source identify(String sender, String host, String eventHost, String kind) {
        Source s = null;
        if (eventHost != null) {
            s = byName(eventHost);
        }
        if (s == null && sender != null) {
            s = byAddress.get(sender);
        }
        if (s == null && host != null) {
            s = byName(host);
        }
        if (s != null) {
            return s;
        }
        String name = eventHost != null ? eventHost : host != null ? host : sender;
        if (name == null) {
            return null;
        }
        String key = name.toLowerCase(Locale.ROOT);
        Source other = others.get(key);
        if (other == null) {
            if (others.size() >= maxSources) {
                untracked.increment();
                return null;
            }
            other = others.computeIfAbsent(key, k -> {
                Source created = new Source(name, sender, host == null ? null : name, kind, null);
                register(created);
                return created;
            });
        }
        return other;
    }

    private Source byName(String name) {
        String h = name.toLowerCase(Locale.ROOT);
        Source s = byHost.get(h);
        return s != null ? s : byHost.get(shortName(h));
    }

    private static String shortName(String host) {
        int dot = host.indexOf('.');
        // an address is not a name with a domain
        return dot > 0 && !Character.isDigit(host.charAt(0)) ? host.substring(0, dot) : host;
    }

    /**
     * Per event, so in milliseconds and without a lock unless the reported state changes; the
     * notice, rare, carries the exact difference.
     */
    private void skew(Source s, Instant eventTime, Instant arrival) {
        long skew = eventTime.toEpochMilli() - arrival.toEpochMilli();
        s.skewMillis = skew;
        long size = Math.abs(skew);
        boolean off = size > maxSkewMillis;
        boolean right = size <= maxSkewMillis / 2;
        if (off ? s.skewReported : !right || !s.skewReported) {
            return; // reported and still off, or not reported and not off
        }
        SensorEvent notice = null;
        synchronized (s) {
            if (off && !s.skewReported) {
                s.skewReported = true;
                notice = new SensorEvent.ClockSkewed(
                        arrival, s.name, s.address, s.host, Duration.between(arrival, eventTime), eventTime);
            } else if (right) {
                s.skewReported = false; // right again: a new skew is news
            }
        }
        if (notice != null) {
            notices.accept(notice);
        }
    }

    /** Reports the expected sources and events quiet past their limit; once each until heard again. */
    public void tick(Instant now) {
        for (Source s : expected) {
            List<SensorEvent> found = new ArrayList<>();
            synchronized (s) {
                ExpectedSource spec = s.spec;
                Instant last = s.lastSeen;
                Duration quiet = Duration.between(baseline(last), now);
                s.silent = quiet.compareTo(spec.maxSilence()) > 0;
                if (s.silent && !s.silentReported) {
                    s.silentReported = true;
                    found.add(new SensorEvent.SourceSilent(
                            now, s.name, s.kind, s.address, s.host, last, quietSince(last, now), null));
                }
                // a source quiet altogether is one finding, not one more per event it also lacks
                for (Integer id : s.silent ? List.<Integer>of() : spec.expectEvents()) {
                    Instant lastEvent = s.eventsLastSeen.get(id);
                    boolean quietEvent =
                            Duration.between(baseline(lastEvent), now).compareTo(spec.maxSilence()) > 0;
                    if (quietEvent && s.silentEvents.add(id)) {
                        found.add(new SensorEvent.SourceSilent(
                                now, s.name, s.kind, s.address, s.host, lastEvent, quietSince(lastEvent, now), id));
                    } else if (!quietEvent) {
                        s.silentEvents.remove(id);
                    }
                }
            }
            found.forEach(notices);
        }
    }

    /** Silence is measured from the last sighting, or from the start when the sensor was down since. */
    private Instant baseline(Instant last) {
        return last == null || last.isBefore(started) ? started : last;
    }

    private Duration quietSince(Instant last, Instant now) {
        return Duration.between(last == null ? started : last, now);
    }

    /** Every source, expected ones first, then by name. */
    public List<View> sources() {
        List<View> out = new ArrayList<>();
        for (Source s : expected) {
            out.add(s.view());
        }
        others.values().stream()
                .sorted(Comparator.comparing(s -> s.name.toLowerCase(Locale.ROOT)))
                .forEach(s -> out.add(s.view()));
        return out;
    }

    private void register(Source s) {
        metrics.gauge(
                "mamori.source.last.seen.timestamp.seconds",
                "When a source was last heard (Unix time; 0: never)",
                () -> {
                    Instant t = s.lastSeen;
                    return t == null ? 0 : t.toEpochMilli() / 1000.0;
                },
                "source",
                s.name);
        metrics.functionCounter(
                "mamori.source.events", "Lines attributed to a source", () -> s.events, "source", s.name);
        metrics.gauge(
                "mamori.source.clock.skew.seconds",
                "A source's last event time minus its arrival (positive: the source's clock is ahead)",
                () -> {
                    long d = s.skewMillis;
                    return d == Source.NO_SKEW ? 0 : d / 1000.0;
                },
                "source",
                s.name);
        if (s.spec != null) {
            metrics.gauge(
                    "mamori.source.silent",
                    "1 while an expected source, or one of its expected events, is quiet past max_silence",
                    () -> s.silent || !s.silentEvents.isEmpty() ? 1 : 0,
                    "source",
                    s.name);
        }
    }

    @Override
    public Class<Entry> entryType() {
        return Entry.class;
    }

    @Override
    public List<Entry> snapshot(Predicate<String> partitions) {
        List<Entry> out = new ArrayList<>();
        for (Source s : expected) {
            if (partitions.test(s.name)) {
                out.add(s.entry());
            }
        }
        for (Source s : others.values()) {
            if (partitions.test(s.name)) {
                out.add(s.entry());
            }
        }
        return out;
    }

    @Override
    public void restore(List<Entry> entries) {
        for (Entry e : entries) {
            Source s = expected.stream()
                    .filter(x -> x.name.equals(e.name()))
                    .findFirst()
                    .orElse(null);
            if (s == null) {
                if (others.size() >= maxSources) {
                    continue;
                }
                s = others.computeIfAbsent(e.name().toLowerCase(Locale.ROOT), k -> {
                    Source created = new Source(e.name(), e.address(), e.host(), e.kind(), null);
                    register(created);
                    return created;
                });
            }
            s.restore(e);
        }
    }

    /** One source's figures; guarded by itself. */
    private static final class Source {
        final String name;
        final String address;
        final String host;
        final String kind;
        /** Null for a source seen but not expected. */
        final ExpectedSource spec;

        volatile Instant lastSeen;
        volatile long events;
        /** Lines per format; a counter array rather than a boxed Long per line. */
        final Map<String, long[]> formats = new HashMap<>();

        final Map<Integer, Instant> eventsLastSeen = new HashMap<>();
        static final long NO_SKEW = Long.MIN_VALUE;
        volatile long skewMillis = NO_SKEW;
        volatile boolean skewReported;
        volatile boolean silent;
        boolean silentReported;
        final java.util.Set<Integer> silentEvents = ConcurrentHashMap.newKeySet();

        Source(String name, String address, String host, String kind, ExpectedSource spec) {
            this.name = name;
            this.address = address;
            this.host = host;
            this.kind = kind == null ? "unknown" : kind;
            this.spec = spec;
        }

        synchronized void record(String format, Instant arrival, Integer eventId) {
            lastSeen = arrival;
            events++;
            long[] count = formats.get(format);
            if (count == null) {
                count = new long[1];
                formats.put(format, count);
            }
            count[0]++;
            silent = false;
            silentReported = false;
            if (eventId != null && spec != null && spec.expectEvents().contains(eventId)) {
                eventsLastSeen.put(eventId, arrival);
                silentEvents.remove(eventId);
            }
        }

        private Map<String, Long> formatCounts() {
            Map<String, Long> out = new HashMap<>();
            formats.forEach((f, n) -> out.put(f, n[0]));
            return Map.copyOf(out);
        }

        synchronized View view() {
            long d = skewMillis;
            return new View(
                    name,
                    address,
                    host,
                    kind,
                    spec != null,
                    lastSeen,
                    events,
                    formatCounts(),
                    silent || !silentEvents.isEmpty(),
                    silentEvents.stream().sorted().toList(),
                    d == NO_SKEW ? null : Math.floorDiv(d, 1000L));
        }

        synchronized Entry entry() {
            Map<Integer, Long> eventTimes = new HashMap<>();
            eventsLastSeen.forEach((id, t) -> eventTimes.put(id, t.toEpochMilli()));
            return new Entry(
                    name,
                    address,
                    host,
                    kind,
                    lastSeen == null ? null : lastSeen.toEpochMilli(),
                    events,
                    formatCounts(),
                    eventTimes);
        }

        synchronized void restore(Entry e) {
            lastSeen = e.lastSeen() == null ? null : Instant.ofEpochMilli(e.lastSeen());
            events = e.events();
            formats.clear();
            if (e.formats() != null) {
                e.formats().forEach((f, n) -> formats.put(f, new long[] {n}));
            }
            eventsLastSeen.clear();
            if (e.eventsLastSeen() != null) {
                e.eventsLastSeen().forEach((id, t) -> eventsLastSeen.put(id, Instant.ofEpochMilli(t)));
            }
        }
    }
}
