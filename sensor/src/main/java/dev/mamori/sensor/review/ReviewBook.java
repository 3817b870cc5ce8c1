package dev.mamori.sensor.review;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.firewall.Direction;
import dev.mamori.detectors.firewall.FirewallEvent;
import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.detectors.sensor.SensorEvent;
import dev.mamori.detectors.site.SiteProfile;
import dev.mamori.detectors.state.TimeBasis;
import dev.mamori.detectors.windows.Authentication;
import dev.mamori.detectors.windows.WindowsEvent;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guide's periodic review, kept day by day in the site's time zone: firewall, proxy and
 * authentication figures and the day's alerts. Days still being filled live in memory; each is
 * written to {@code <dir>/<date>.json} (temporary file, fsync, rename) by {@link #save} and when it
 * closes, so reviews survive restarts and a report for any kept day reads its file.
 *
 * <p>Input threads add events, the pipeline adds alerts, the ticker closes days: the open days are a
 * concurrent map, each day guards itself. With no directory (offline analysis) nothing is written.
 */
public final class ReviewBook {

    private static final Logger log = LoggerFactory.getLogger(ReviewBook.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SiteProfile site;
    private final TimeBasis timeBasis;
    private final LocalHours hours;
    private final Clock clock;
    private final Path dir;
    private final int keepDays;
    private final int maxOpenDays;
    private final Known known = new Known();
    private final ConcurrentSkipListMap<LocalDate, DayReview> open = new ConcurrentSkipListMap<>();
    private volatile boolean learning;

    /**
     * @param timeBasis which day an alert counts on (arrival for the live sensor, as its events do;
     *     the alert's own time offline)
     * @param dir where days are kept, or null to keep them in memory only
     * @param keepDays day files older than this are deleted
     * @param maxOpenDays days held in memory at once (the oldest is saved and let go past it)
     */
    public ReviewBook(SiteProfile site, TimeBasis timeBasis, Clock clock, Path dir, int keepDays, int maxOpenDays) {
        this.site = site;
        this.hours = new LocalHours(site.timezone());
        this.timeBasis = timeBasis;
        this.clock = clock;
        this.dir = dir;
        this.keepDays = keepDays;
        this.maxOpenDays = maxOpenDays;
        if (dir != null) {
            read(dir.resolve("known.json"), Known.Data.class).ifPresent(known::restore);
        }
        this.learning = known.isEmpty();
    }

    /** The day (in the site's zone) an instant falls on. */
    public LocalDate dayOf(Instant when) {
        return hours.of(when).date();
    }

    private int hourOf(Instant when) {
        return hours.of(when).hour();
    }

    private DayReview day(Instant when) {
        LocalDate date = dayOf(when);
        DayReview d = open.get(date);
        if (d != null) {
            return d;
        }
        d = open.computeIfAbsent(date, this::openDay);
        while (open.size() > maxOpenDays) {
            Map.Entry<LocalDate, DayReview> oldest = open.pollFirstEntry();
            if (oldest != null) {
                write(oldest.getValue());
            }
        }
        return d;
    }

    private DayReview openDay(LocalDate date) {
        Optional<DayData> kept = dir == null ? Optional.empty() : read(file(date), DayData.class);
        return kept.map(DayReview::of).orElseGet(() -> new DayReview(date, learning));
    }

    public void firewall(FirewallEvent e, Direction d, Instant when) {
        day(when).firewall(e, d, hourOf(when), known);
    }

    public void proxy(ProxyEvent e, Instant when) {
        day(when).proxy(e, hourOf(when), !site.isBusinessHours(when), known);
    }

    /** Logons and credential checks by user accounts (computer accounts, ending in $, are left out). */
    public void windows(WindowsEvent e, Instant when) {
        if (e.eventId() == 4769) {
            return; // service tickets: every logon asks for several; they would bury the accounts' figures
        }
        Authentication a = Authentication.of(e);
        if (a != null && !a.account().endsWith("$")) {
            day(when).authentication(a, !site.isBusinessHours(when));
        }
    }

    public void alert(Alert a) {
        day(timeBasis.of(a.timestamp(), clock)).alert(a);
    }

    /**
     * Closes the days before {@code now}'s: each is written and announced once (the returned events,
     * for {@code sensor.daily_review}); days older than yesterday are let go from memory.
     */
    public List<SensorEvent.DayClosed> tick(Instant now) {
        LocalDate today = dayOf(now);
        List<SensorEvent.DayClosed> closed = new ArrayList<>();
        for (DayReview d : open.headMap(today).values()) {
            if (!d.announced()) {
                d.markAnnounced();
                DayData data = d.data();
                closed.add(new SensorEvent.DayClosed(
                        now,
                        d.date(),
                        data.firewallEvents(),
                        data.deniedOutbound(),
                        data.proxyRequests(),
                        data.authentications(),
                        data.authFailures(),
                        data.alertCount()));
                write(d);
                learning = false;
            }
            if (d.date().isBefore(today.minusDays(1))) {
                open.remove(d.date(), d);
            }
        }
        // opened here, on the ticker and after the closing (which ends the learning day), so that the
        // first event of a day does not read a file on an event loop
        open.computeIfAbsent(today, this::openDay);
        return closed;
    }

    /** Writes every open day and what is known (the sensor calls it periodically and at shutdown). */
    public void save() {
        open.values().forEach(this::write);
        if (dir != null) {
            writeJson(dir.resolve("known.json"), known.data());
            prune();
        }
    }

    /** A day's figures: from memory while open, else from its file; empty when none was kept. */
    public Optional<DayData> day(LocalDate date) {
        DayReview d = open.get(date);
        if (d != null) {
            return Optional.of(d.data());
        }
        return dir == null ? Optional.empty() : read(file(date), DayData.class);
    }

    /** The days from {@code first} to {@code last}, inclusive, added up (for a week); empty if none was kept. */
    public Optional<DayData> period(LocalDate first, LocalDate last) {
        DayReview sum = null;
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            Optional<DayData> one = day(d);
            if (one.isPresent()) {
                if (sum == null) {
                    sum = new DayReview(first, one.get().learning());
                }
                sum.add(one.get());
            }
        }
        return Optional.ofNullable(sum).map(DayReview::data);
    }

    /** The dates held in memory, oldest first (offline analysis reports on them). */
    public List<LocalDate> openDates() {
        return List.copyOf(open.keySet());
    }

    /** The date today, in the site's zone. */
    public LocalDate today() {
        return dayOf(clock.instant());
    }

    private Path file(LocalDate date) {
        return dir.resolve(date + ".json");
    }

    private void write(DayReview d) {
        if (dir != null) {
            writeJson(file(d.date()), d.data());
        }
    }

    private void writeJson(Path file, Object value) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(value)));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.error("reviews: cannot write {}: {}", file, e.toString());
        }
    }

    private static <T> Optional<T> read(Path file, Class<T> type) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JSON.readValue(file.toFile(), type));
        } catch (IOException e) {
            log.warn("reviews: cannot read {}: {}; leaving it out", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Deletes day files older than {@code keepDays}. */
    private void prune() {
        LocalDate oldest = today().minusDays(keepDays);
        try (var files = Files.list(dir)) {
            TreeMap<LocalDate, Path> days = new TreeMap<>();
            files.forEach(p -> {
                String name = p.getFileName().toString();
                if (name.matches("\\d{4}-\\d{2}-\\d{2}\\.json")) {
                    days.put(LocalDate.parse(name.substring(0, 10)), p);
                }
            });
            for (Path p : days.headMap(oldest).values()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("reviews: cannot prune {}: {}", dir, e.toString());
        }
    }
}
