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
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /**
     * What a load found.
     *
     * @param rules the detection rules in force
     * @param correlations the correlation rules in force, each with the items it names
     * @param quiet the rules and correlations in force only for the correlations naming them: they
     *     raise no alert of their own (a correlation's {@code generate: false}, or a level or status
     *     the filters leave out)
     * @param filtered rules left out by status or level
     */
    public record Loaded(
            List<SigmaRule> rules,
            List<Resolved> correlations,
            Set<SigmaItem> quiet,
            List<Rejected> rejected,
            int filtered) {

        /** Rules and correlations in force. */
        public int size() {
            return rules.size() + correlations.size();
        }
    }

    /** A correlation with the rules it names, in its order. */
    public record Resolved(SigmaCorrelation correlation, List<SigmaItem> members) {}

    private SigmaRules() {}

    /**
     * @param statuses statuses kept (e.g. stable, test); a rule without a status counts as experimental
     * @param minLevel rules below this level are left out (informational counts as low)
     */
    public static Loaded load(List<Path> paths, Set<String> statuses, Severity minLevel, boolean informational)
            throws IOException {
        List<Path> files = files(paths);
        List<SigmaItem> items = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
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
            // all or nothing per file: a correlation and the rules it names often share one file
            List<SigmaItem> compiled = new ArrayList<>();
            List<Rejected> refused = new ArrayList<>();
            for (JsonNode doc : docs) {
                try {
                    compiled.add(
                            doc != null && doc.has("correlation")
                                    ? SigmaCorrelation.compile(doc, f)
                                    : SigmaRule.compile(doc, f));
                } catch (SigmaException e) {
                    refused.add(new Rejected(
                            f,
                            e.getMessage()
                                    + (docs.size() > 1 ? " (the file's other documents are left out with it)" : "")));
                }
            }
            if (refused.isEmpty()) {
                items.addAll(compiled);
            } else {
                rejected.addAll(refused);
            }
        }
        return resolve(items, rejected, statuses, minLevel, informational);
    }

    /**
     * The rule files under {@code paths}: files as given, folders searched for {@code *.yml} and
     * {@code *.yaml}, in a stable order.
     *
     * @throws IOException when a path is neither a file nor a folder, or cannot be read
     */
    public static List<Path> files(List<Path> paths) throws IOException {
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
        return files;
    }

    /**
     * Ties correlations to the rules they name and decides what is in force: a rule no correlation
     * names, or one a correlation names with {@code generate: true}, stands alone and passes the
     * status and level filters or is left out; what a correlation in force names is in force too,
     * whatever its own status (the specification puts the metadata on the outermost rule only).
     */
    private static Loaded resolve(
            List<SigmaItem> items,
            List<Rejected> rejected,
            Set<String> statuses,
            Severity minLevel,
            boolean informational) {
        Map<String, SigmaItem> byRef = new HashMap<>();
        for (SigmaItem i : items) {
            byRef.putIfAbsent(i.id(), i);
            if (i.name() != null) {
                byRef.putIfAbsent(i.name(), i);
            }
        }
        // correlations whose rules all resolve, repeated until none more drops out (chains, cycles)
        Map<SigmaCorrelation, List<SigmaItem>> valid = new IdentityHashMap<>();
        for (SigmaItem i : items) {
            if (i instanceof SigmaCorrelation c) {
                valid.put(c, null);
            }
        }
        dropDangling(valid, byRef, rejected);
        List<SigmaCorrelation> cycles = valid.keySet().stream()
                .filter(c -> reaches(c, c, valid, new IdentityHashMap<>()))
                .toList();
        for (SigmaCorrelation c : cycles) {
            valid.remove(c);
            rejected.add(new Rejected(c.file(), "correlation '" + c.title() + "': it names itself through its rules"));
        }
        dropDangling(valid, byRef, rejected);
        Map<SigmaItem, Boolean> named = new IdentityHashMap<>(); // item -> some namer generates
        valid.forEach((c, members) -> {
            if (members != null) {
                for (SigmaItem m : members) {
                    named.merge(m, c.generate(), Boolean::logicalOr);
                }
            }
        });
        Set<SigmaItem> inForce = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Set<SigmaItem> alerting = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        int filtered = 0;
        for (SigmaItem i : items) {
            if (i instanceof SigmaCorrelation c && valid.get(c) == null) {
                continue;
            }
            boolean standsAlone = named.getOrDefault(i, true);
            if (!standsAlone) {
                continue;
            }
            if (passes(i, statuses, minLevel, informational)) {
                alerting.add(i);
                addWithMembers(i, inForce, valid);
            } else {
                filtered++;
            }
        }
        List<SigmaRule> rules = new ArrayList<>();
        List<Resolved> correlations = new ArrayList<>();
        Set<SigmaItem> quiet = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (SigmaItem i : items) {
            if (!inForce.contains(i)) {
                continue;
            }
            if (!alerting.contains(i)) {
                quiet.add(i);
            }
            if (i instanceof SigmaRule r) {
                rules.add(r);
            } else if (i instanceof SigmaCorrelation c) {
                correlations.add(new Resolved(c, valid.get(c)));
            }
        }
        return new Loaded(
                List.copyOf(rules),
                List.copyOf(correlations),
                java.util.Collections.unmodifiableSet(quiet),
                List.copyOf(rejected),
                filtered);
    }

    /** Drops correlations naming a rule that is not loaded, until none more drops out (chains). */
    private static void dropDangling(
            Map<SigmaCorrelation, List<SigmaItem>> valid, Map<String, SigmaItem> byRef, List<Rejected> rejected) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (SigmaCorrelation c : List.copyOf(valid.keySet())) {
                List<SigmaItem> members = new ArrayList<>();
                String missing = null;
                for (String ref : c.rules()) {
                    SigmaItem m = byRef.get(ref);
                    if (m == null || m instanceof SigmaCorrelation mc && !valid.containsKey(mc)) {
                        missing = ref;
                        break;
                    }
                    members.add(m);
                }
                if (missing != null) {
                    valid.remove(c);
                    rejected.add(new Rejected(
                            c.file(),
                            "correlation '" + c.title() + "': rule '" + missing
                                    + "' is not loaded (no rule has that id or name, or it was refused)"));
                    changed = true;
                } else {
                    valid.put(c, List.copyOf(members));
                }
            }
        }
    }

    private static boolean reaches(
            SigmaCorrelation from,
            SigmaCorrelation target,
            Map<SigmaCorrelation, List<SigmaItem>> valid,
            Map<SigmaCorrelation, Boolean> seen) {
        if (seen.put(from, true) != null) {
            return false;
        }
        for (SigmaItem m : valid.getOrDefault(from, List.of())) {
            if (m == target || m instanceof SigmaCorrelation c && reaches(c, target, valid, seen)) {
                return true;
            }
        }
        return false;
    }

    private static void addWithMembers(
            SigmaItem i, Set<SigmaItem> inForce, Map<SigmaCorrelation, List<SigmaItem>> valid) {
        if (!inForce.add(i)) {
            return;
        }
        if (i instanceof SigmaCorrelation c) {
            for (SigmaItem m : valid.get(c)) {
                addWithMembers(m, inForce, valid);
            }
        }
    }

    private static boolean passes(SigmaItem i, Set<String> statuses, Severity minLevel, boolean informational) {
        String status = i.status() == null ? "experimental" : i.status().toLowerCase(Locale.ROOT);
        boolean lowEnough = i.levelName().equals("informational")
                ? informational
                : i.level().atLeast(minLevel);
        return statuses.contains(status) && lowEnough;
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
