package dev.mamori.sensor.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the YAML configuration (Jazzer): whatever an operator writes, the
 * answer is a configuration or a {@link ConfigException} naming what is wrong, never another
 * exception. {@code mvn verify} replays {@code ConfigFuzzTestInputs/}; tools/fuzz fuzzes.
 */
class ConfigFuzzTest {

    /** Relative paths in a fuzzed config resolve here, where there is nothing to read. */
    private static final Path EMPTY_FOLDER;

    static {
        try {
            EMPTY_FOLDER = Files.createTempDirectory("mamori-config-fuzz");
            EMPTY_FOLDER.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void yamlConfigs(byte[] data) {
        try {
            MamoriConfig config = ConfigLoader.parse(
                    new String(data, StandardCharsets.UTF_8), "fuzz.yaml", new ConfigBase.FileBase(EMPTY_FOLDER));
            assertThat(config).isNotNull();
        } catch (ConfigException refused) {
            assertThat(refused.errors()).as("a refusal names what is wrong").isNotEmpty();
        }
    }
}
