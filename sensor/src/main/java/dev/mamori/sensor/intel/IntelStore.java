package dev.mamori.sensor.intel;

import dev.mamori.detectors.intel.Indicators;
import dev.mamori.sensor.config.ConfigResource;
import dev.mamori.sensor.config.MamoriConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current indicator set. Lines that are not indicators are skipped and reported (a feed with
 * one bad line should not blind the sensor); a list that cannot be read at all is an error.
 */
public final class IntelStore implements Supplier<Indicators> {

    private static final Logger log = LoggerFactory.getLogger(IntelStore.class);
    private static final int MAX_LOGGED_PROBLEMS = 20;

    private final AtomicReference<Indicators> indicators = new AtomicReference<>(Indicators.empty());
    private final AtomicReference<List<Pattern>> userAgents = new AtomicReference<>(List.of());
    private volatile String version = "0";

    @Override
    public Indicators get() {
        return indicators.get();
    }

    /**
     * Loads the configured indicator files and swaps them in.
     *
     * @return the problems found in individual lines (also logged)
     * @throws IOException when a file cannot be read; the current set stays
     */
    public List<Indicators.Problem> load(MamoriConfig.Intel intel) throws IOException {
        Loaded l = read(intel);
        install(l);
        l.problems().stream().limit(MAX_LOGGED_PROBLEMS).forEach(p -> log.warn("intel: skipped {}", p));
        if (l.problems().size() > MAX_LOGGED_PROBLEMS) {
            log.warn("intel: {} more lines skipped", l.problems().size() - MAX_LOGGED_PROBLEMS);
        }
        return l.problems();
    }

    /** What a reload did: the new sizes, or why the old lists were kept. */
    public record ReloadResult(boolean ok, int indicators, int userAgents, List<String> errors) {}

    /**
     * Re-reads the lists. Stricter than the start-up load: any unreadable file or unreadable line
     * refuses the whole reload and the current lists stay in force (a half-broken feed should not
     * silently replace a good one).
     */
    public synchronized ReloadResult reload(MamoriConfig.Intel intel) {
        Loaded l;
        try {
            l = read(intel);
        } catch (IOException e) {
            log.warn("intel: reload refused, the current lists stay: {}", e.getMessage());
            return new ReloadResult(false, get().size(), userAgents().size(), List.of(e.getMessage()));
        }
        if (!l.problems().isEmpty()) {
            List<String> errors =
                    l.problems().stream().map(Indicators.Problem::toString).toList();
            log.warn(
                    "intel: reload refused ({} problem(s), first: {}); the current lists stay",
                    errors.size(),
                    errors.get(0));
            return new ReloadResult(false, get().size(), userAgents().size(), errors);
        }
        install(l);
        return new ReloadResult(true, l.indicators().size(), l.agents().size(), List.of());
    }

    private record Loaded(Indicators indicators, List<Pattern> agents, List<Indicators.Problem> problems) {}

    private void install(Loaded l) {
        indicators.set(l.indicators());
        userAgents.set(l.agents());
        version = Integer.toHexString(Objects.hash(
                System.nanoTime(), l.indicators().size(), l.agents().size()));
        log.info(
                "intel: {} indicator entries, {} allowed user-agent patterns",
                l.indicators().size(),
                l.agents().size());
    }

    private Loaded read(MamoriConfig.Intel intel) throws IOException {
        List<Indicators.Problem> problems = new ArrayList<>();
        Indicators.Builder b = new Indicators.Builder();
        for (MamoriConfig.IndicatorFile f : intel.indicatorFiles()) {
            ConfigResource r = f.resource();
            try (InputStream in = r.open();
                    Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                switch (f.format()) {
                    case "csv" -> b.readCsv(r.describe(), reader, f.column(), problems);
                    case "stix" -> {
                        int skipped = b.readStix(r.describe(), in, problems);
                        if (skipped > 0) {
                            log.info(
                                    "intel: {}: {} STIX indicators skipped (revoked, expired or a pattern other"
                                            + " than simple value comparisons)",
                                    r.describe(),
                                    skipped);
                        }
                    }
                    default -> b.read(r.describe(), reader, problems);
                }
            } catch (IOException e) {
                throw new IOException("intel.indicator_files: cannot read " + r.describe() + ": " + e.getMessage(), e);
            }
        }
        Indicators loaded = b.build();
        List<Pattern> agents = readAgents(intel.allowedUserAgentsFile(), problems);
        return new Loaded(loaded, agents, problems);
    }

    /** One Java regular expression per line, searched in the User-Agent (anchor with ^ and $); '#' comments. */
    private static List<Pattern> readAgents(ConfigResource r, List<Indicators.Problem> problems) throws IOException {
        List<Pattern> out = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(r.open(), StandardCharsets.UTF_8))) {
            int n = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                n++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                try {
                    out.add(Pattern.compile(t));
                } catch (PatternSyntaxException e) {
                    problems.add(
                            new Indicators.Problem(r.describe(), n, "not a regular expression: " + e.getDescription()));
                }
            }
        } catch (IOException e) {
            throw new IOException(
                    "intel.allowed_user_agents_file: cannot read " + r.describe() + ": " + e.getMessage(), e);
        }
        return List.copyOf(out);
    }

    /** The organisation's allowed User-Agent patterns. */
    public List<Pattern> userAgents() {
        return userAgents.get();
    }

    /** Changes with every load; part of the ICAP ISTag. */
    public String version() {
        return version;
    }
}
