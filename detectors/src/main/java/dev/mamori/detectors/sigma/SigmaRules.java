package dev.mamori.detectors.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mamori.detectors.alert.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads Sigma rules from files and directories (searched for {@code *.yml} and {@code *.yaml}):
 * every rule that compiles and passes the status and level filters is kept; every one that does
 * not compile is kept as a rejection with its file and reason, and the others load.
 */
public final class SigmaRules {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A rule that did not compile. */
    public record Rejected(Path file, String reason) {}

    /** What a load found. */
    public record Loaded(List<SigmaRule> rules, List<Rejected> rejected, int filtered) {}

    private SigmaRules() {}

    /**
     * @param statuses statuses kept (e.g. stable, test); a rule without a status counts as experimental
     * @param minLevel rules below this level are left out (informational counts as low)
     */
    public static Loaded load(List<Path> paths, Set<String> statuses, Severity minLevel, boolean informational)
            throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile)
                            .filter(f -> {
                                String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                                return n.endsWith(".yml") || n.endsWith(".yaml");
                            })
                            .sorted()
                            .forEach(files::add);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new IOException(p + ": no such file or directory");
            }
        }
        List<SigmaRule> rules = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        int filtered = 0;
        for (Path f : files) {
            List<JsonNode> docs = new ArrayList<>();
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(f.toFile())) {
                while (it.hasNext()) {
                    docs.add(it.next());
                }
            } catch (IOException | RuntimeException e) {
                rejected.add(new Rejected(f, "not valid YAML: " + firstLine(e.getMessage())));
                continue;
            }
            for (JsonNode doc : docs) {
                try {
                    SigmaRule r = SigmaRule.compile(doc, f);
                    String status =
                            r.status() == null ? "experimental" : r.status().toLowerCase(Locale.ROOT);
                    boolean lowEnough = r.levelName().equals("informational")
                            ? informational
                            : r.level().atLeast(minLevel);
                    if (!statuses.contains(status) || !lowEnough) {
                        filtered++;
                    } else {
                        rules.add(r);
                    }
                } catch (SigmaException e) {
                    rejected.add(new Rejected(f, e.getMessage()));
                }
            }
        }
        return new Loaded(List.copyOf(rules), List.copyOf(rejected), filtered);
    }

    /** A short label for a refusal's reason, for the {@code reason} label of the rejected-rules metric. */
    public static String reasonKind(String reason) {
        String r = reason.toLowerCase(Locale.ROOT);
        if (r.startsWith("correlation")) {
            return "correlation";
        } else if (r.startsWith("logsource")) {
            return "logsource";
        } else if (r.contains("modifier") || r.contains("expand")) {
            return "modifier";
        } else if (r.contains("condition") || r.contains("aggregation")) {
            return "condition";
        } else if (r.startsWith("not valid yaml")) {
            return "yaml";
        }
        return "other";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
