package dev.mamori.sensor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mamori.detectors.alert.Language;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.evtx.EvtxReader;
import dev.mamori.detectors.sigma.SigmaEngine;
import dev.mamori.detectors.sigma.SigmaRules;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * SigmaHQ's own proof for Mamori's Sigma engine: every rule folder in {@code ../shared/sigma}
 * loaded (each rule compiles or is refused with a reason naming what is not supported), then every
 * regression EVTX file of SigmaHQ's {@code regression_data} read natively and shown to all the
 * rules: the rule it was recorded for must fire on it. SigmaHQ's rules and data are under the
 * Detection Rule License 1.1.
 */
class SigmaRegressionIT {

    private static Path sigma() {
        Path dir = EvtxPeersIT.shared().resolve("sigma");
        if (!Files.isDirectory(dir.resolve("regression_data"))) {
            String message = "no SigmaHQ rules and regression data under " + dir + ": set MAMORI_SHARED_DIR to run";
            if ("1".equals(System.getenv("MAMORI_REQUIRE_PEERS"))) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        return dir;
    }

    @Test
    void everyRegressionFileFiresItsRule() throws Exception {
        Path sigma = sigma();
        List<Path> folders = new ArrayList<>();
        try (Stream<Path> s = Files.list(sigma)) {
            s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("rules"))
                    .sorted()
                    .forEach(folders::add);
        }
        SigmaRules.Loaded loaded = SigmaRules.load(
                folders, Set.of("stable", "test", "experimental", "deprecated", "unsupported"), Severity.LOW, true);
        Map<String, Integer> refused = new TreeMap<>();
        loaded.rejected().forEach(r -> refused.merge(SigmaRules.reasonKind(r.reason()), 1, Integer::sum));
        System.out.printf(
                "sigma: %d rules compiled, %d refused %s%n",
                loaded.rules().size(), loaded.rejected().size(), refused);
        assertThat(loaded.rejected())
                .as("every refusal names a feature Mamori does not support")
                .allSatisfy(r -> assertThat(SigmaRules.reasonKind(r.reason()))
                        .as(r.file() + ": " + r.reason())
                        .isNotEqualTo("other"));
        assertThat(loaded.rules().size()).isGreaterThan(2500);

        SigmaEngine engine = new SigmaEngine(
                loaded, MessageCatalog.load(Language.EN), ObserverInput.FILE, Clock.systemUTC(), 100_000);
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<Path> infos;
        try (Stream<Path> s = Files.walk(sigma.resolve("regression_data"))) {
            infos = s.filter(p -> p.getFileName().toString().equals("info.yml"))
                    .sorted()
                    .toList();
        }
        List<String> missed = new ArrayList<>();
        int files = 0;
        for (Path info : infos) {
            JsonNode doc = yaml.readTree(info.toFile());
            String ruleId = doc.at("/rule_metadata/0/id").asText();
            for (JsonNode test : doc.path("regression_tests_info")) {
                if (!test.path("type").asText().equals("evtx")) {
                    continue;
                }
                Path evtx =
                        info.resolveSibling(Path.of(test.path("path").asText()).getFileName());
                files++;
                Set<String> fired = new HashSet<>();
                EvtxReader.read(
                        ByteBuffer.wrap(Files.readAllBytes(evtx)), e -> engine.windows(e, a -> fired.add(a.ruleId())));
                if (!fired.contains("sigma:" + ruleId)) {
                    missed.add(ruleId + " (" + evtx.getFileName() + ", "
                            + doc.at("/rule_metadata/0/title").asText() + ")");
                }
            }
        }
        System.out.printf("sigma: %d regression files, %d fired their rule%n", files, files - missed.size());
        assertThat(files).isGreaterThan(50);
        assertThat(missed).as("regression files whose rule did not fire").isEmpty();

        // the literal prefilter leaves out only rules that cannot match: on every sample and
        // regression file, the same alerts as evaluating every rule on every event
        SigmaEngine everyRule = new SigmaEngine(
                loaded,
                MessageCatalog.load(Language.EN),
                ObserverInput.FILE,
                Clock.systemUTC(),
                100_000,
                dev.mamori.detectors.state.TimeBasis.EVENT,
                false);
        List<Path> evtx = new ArrayList<>();
        for (Path dir :
                List.of(sigma.resolve("regression_data"), sigma.getParent().resolve("corpus"))) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.walk(dir)) {
                    s.filter(p -> p.getFileName()
                                    .toString()
                                    .toLowerCase(java.util.Locale.ROOT)
                                    .endsWith(".evtx"))
                            .sorted()
                            .forEach(evtx::add);
                }
            }
        }
        long events = 0;
        long alerts = 0;
        for (Path f : evtx) {
            List<String> filtered = new ArrayList<>();
            List<String> reference = new ArrayList<>();
            long[] n = {0};
            EvtxReader.read(ByteBuffer.wrap(Files.readAllBytes(f)), e -> {
                n[0]++;
                engine.windows(e, a -> filtered.add(a.ruleId() + " " + a.timestamp()));
                everyRule.windows(e, a -> reference.add(a.ruleId() + " " + a.timestamp()));
            });
            assertThat(filtered).as(f + ": alerts with the prefilter").isEqualTo(reference);
            events += n[0];
            alerts += reference.size();
        }
        System.out.printf("sigma: prefilter checked on %d files, %d events, %d alerts%n", evtx.size(), events, alerts);
        assertThat(alerts).isGreaterThan(100);
    }
}
