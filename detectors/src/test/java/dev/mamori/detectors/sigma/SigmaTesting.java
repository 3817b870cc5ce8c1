package dev.mamori.detectors.sigma;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mamori.detectors.alert.Language;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/** Engines and rule files for the Sigma tests. */
final class SigmaTesting {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Set<String> ALL_STATUSES = Set.of("stable", "test", "experimental");

    private SigmaTesting() {}

    /** An engine running these rules, each raising its own alerts. */
    static SigmaEngine engine(SigmaRule... rules) {
        return new SigmaEngine(
                new SigmaRules.Loaded(List.of(rules), List.of(), Set.of(), List.of(), 0),
                MessageCatalog.load(Language.EN),
                ObserverInput.FILE,
                Clock.systemUTC(),
                1000);
    }

    /** Loads one rule file written from {@code yaml} into {@code dir}. */
    static SigmaRules.Loaded load(Path dir, String yaml) throws IOException {
        Path f = Files.writeString(Files.createTempFile(dir, "rule", ".yml"), yaml);
        return SigmaRules.load(List.of(f), ALL_STATUSES, Severity.LOW, true);
    }

    static SigmaEngine engine(SigmaRules.Loaded loaded, int maxKeys) {
        return new SigmaEngine(
                loaded, MessageCatalog.load(Language.EN), ObserverInput.FILE, Clock.systemUTC(), maxKeys);
    }
}
