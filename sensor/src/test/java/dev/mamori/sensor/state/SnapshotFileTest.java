package dev.mamori.sensor.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.Language;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.state.TimeBasis;
import dev.mamori.detectors.windows.AdAuthSpike;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFileTest {

    @TempDir
    Path dir;

    private SnapshotFile<AdAuthSpike.Baseline> file(AdAuthSpike s, Path where) {
        return new SnapshotFile<>(
                where, "ad.auth_spike", new TypeReference<List<AdAuthSpike.Baseline>>() {}, s::snapshot, s::restore);
    }

    private static AdAuthSpike spike() {
        return new AdAuthSpike(
                5,
                20,
                24,
                1000,
                new AlertFactory(MessageCatalog.load(Language.EN), Clock.systemUTC()),
                TimeBasis.EVENT,
                Clock.systemUTC(),
                ObserverInput.SYSLOG);
    }

    @Test
    void roundTrip() {
        AdAuthSpike before = spike();
        before.restore(List.of(
                new AdAuthSpike.Baseline("alice", 493_000, 3, 4.5, 40),
                new AdAuthSpike.Baseline("bob", 493_001, 0, 0.25, 30)));
        file(before, dir).save();
        assertThat(dir.resolve("ad.auth_spike.json")).exists();
        assertThat(dir.resolve("ad.auth_spike.json.tmp")).doesNotExist();
        AdAuthSpike after = spike();
        file(after, dir).load();
        assertThat(after.snapshot()).containsExactlyInAnyOrderElementsOf(before.snapshot());
    }

    @Test
    void corruptOrForeignSnapshotsAreRefusedAndTheDetectionStartsClean() throws Exception {
        for (String content : List.of(
                "{not json",
                "{\"format\":\"something-else\",\"version\":1,\"entries\":[]}",
                "{\"format\":\"mamori-state/ad.auth_spike\",\"version\":99,\"entries\":[]}",
                "{\"format\":\"mamori-state/ad.auth_spike\",\"version\":1,\"entries\":[{\"account\":\"x\","
                        + "\"mean\":\"lots\"}]}")) {
            Files.writeString(dir.resolve("ad.auth_spike.json"), content);
            AdAuthSpike s = spike();
            file(s, dir).load();
            assertThat(s.trackedAccounts()).as(content).isZero();
        }
    }

    @Test
    void missingSnapshotIsAFreshStart() {
        AdAuthSpike s = spike();
        file(s, dir.resolve("nothing-here")).load();
        assertThat(s.trackedAccounts()).isZero();
    }
}
