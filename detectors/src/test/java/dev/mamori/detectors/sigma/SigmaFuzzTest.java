package dev.mamori.detectors.sigma;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing of Sigma rule files (docs/robustness.md): a rule either compiles or is
 * refused with a {@link SigmaException}; a compiled rule evaluates an event without throwing, and
 * the literal prefilter lets it through whenever it matches. Correlation documents compile or are
 * refused likewise.
 */
class SigmaFuzzTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, String> EVENT = Map.of(
            "EventID", "4688",
            "Image", "C:\\Windows\\System32\\cmd.exe",
            "CommandLine", "cmd /c whoami -all \u212Aelvin \u017Fs \u0130i\u0307 \u2800.exe",
            "IpAddress", "10.1.2.3",
            "Count", "12");

    @FuzzTest(maxDuration = "10m")
    void sigmaRules(byte[] data) {
        JsonNode doc;
        try {
            doc = YAML.readTree(new String(data, StandardCharsets.UTF_8));
        } catch (IOException notYaml) {
            return; // SigmaRules reports these as "not valid YAML"
        }
        if (doc != null && doc.has("correlation")) {
            try {
                SigmaCorrelation.compile(doc, Path.of("fuzz.yml"));
            } catch (SigmaException refused) {
                // refused with its reason
            }
            return;
        }
        SigmaRule rule;
        try {
            rule = SigmaRule.compile(doc, Path.of("fuzz.yml"));
        } catch (SigmaException refused) {
            return;
        }
        boolean matches = rule.matches(SigmaEvent.of(EVENT));
        boolean[] passed = {false};
        new RuleGroup(List.of(rule), true).evaluate(SigmaEvent.of(EVENT), r -> passed[0] = true, () -> {
            throw new AssertionError("the rule threw");
        });
        if (passed[0] != matches) {
            throw new AssertionError(
                    "the prefilter disagrees with the rule (" + rule.detection().need() + ")");
        }
    }
}
