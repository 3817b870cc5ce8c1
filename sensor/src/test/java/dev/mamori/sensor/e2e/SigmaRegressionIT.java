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
import dev.mamori.detectors.sigma.SigmaDetection;
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

        SigmaDetection engine = new SigmaDetection(
                loaded.rules(), MessageCatalog.load(Language.EN), ObserverInput.FILE, Clock.systemUTC());
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
                        ByteBuffer.wrap(Files.readAllBytes(evtx)), e -> engine.inspect(e, a -> fired.add(a.ruleId())));
                if (!fired.contains("sigma:" + ruleId)) {
                    missed.add(ruleId + " (" + evtx.getFileName() + ", "
                            + doc.at("/rule_metadata/0/title").asText() + ")");
                }
            }
        }
        System.out.printf("sigma: %d regression files, %d fired their rule%n", files, files - missed.size());
        assertThat(files).isGreaterThan(50);
        assertThat(missed).as("regression files whose rule did not fire").isEmpty();
    }
}
