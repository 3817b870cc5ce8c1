package dev.mamori.sensor.intel;

import dev.mamori.detectors.intel.Indicators;
import dev.mamori.sensor.config.ConfigResource;
import dev.mamori.sensor.config.MamoriConfig;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
        List<Indicators.Problem> problems = new ArrayList<>();
        Indicators.Builder b = new Indicators.Builder();
        for (ConfigResource r : intel.indicatorFiles()) {
            try (Reader reader = new InputStreamReader(r.open(), StandardCharsets.UTF_8)) {
                b.read(r.describe(), reader, problems);
            } catch (IOException e) {
                throw new IOException("intel.indicator_files: cannot read " + r.describe() + ": " + e.getMessage(), e);
            }
        }
        Indicators loaded = b.build();
        List<Pattern> agents = readAgents(intel.allowedUserAgentsFile(), problems);
        indicators.set(loaded);
        userAgents.set(agents);
        version = Integer.toHexString(java.util.Objects.hash(System.nanoTime(), loaded.size(), agents.size()));
        problems.stream().limit(MAX_LOGGED_PROBLEMS).forEach(p -> log.warn("indicator list: skipped {}", p));
        if (problems.size() > MAX_LOGGED_PROBLEMS) {
            log.warn("indicator list: {} more lines skipped", problems.size() - MAX_LOGGED_PROBLEMS);
        }
        log.info("indicators: {} entries from {} file(s); {} allowed user-agent patterns", loaded.size(),
                intel.indicatorFiles().size(), agents.size());
        return problems;
    }

    /** One Java regular expression per line, matched against the whole User-Agent; '#' comments. */
    private static List<Pattern> readAgents(ConfigResource r, List<Indicators.Problem> problems) throws IOException {
        List<Pattern> out = new ArrayList<>();
        try (java.io.BufferedReader reader = new java.io.BufferedReader(
                new InputStreamReader(r.open(), StandardCharsets.UTF_8))) {
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
                    problems.add(new Indicators.Problem(r.describe(), n, "not a regular expression: "
                            + e.getDescription()));
                }
            }
        } catch (IOException e) {
            throw new IOException("intel.allowed_user_agents_file: cannot read " + r.describe() + ": "
                    + e.getMessage(), e);
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
