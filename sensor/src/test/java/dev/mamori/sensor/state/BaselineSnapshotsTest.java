package dev.mamori.sensor.state;

import static org.assertj.core.api.Assertions.assertThat;

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

class BaselineSnapshotsTest {

    @TempDir
    Path dir;

    private static AdAuthSpike spike() {
        return new AdAuthSpike(5, 20, 24, 1000, new AlertFactory(MessageCatalog.load(Language.EN), Clock.systemUTC()),
                TimeBasis.EVENT, Clock.systemUTC(), ObserverInput.SYSLOG);
    }

    @Test
    void roundTrip() {
        AdAuthSpike before = spike();
        before.restore(List.of(new AdAuthSpike.Baseline("alice", 493_000, 3, 4.5, 40),
                new AdAuthSpike.Baseline("bob", 493_001, 0, 0.25, 30)));
        BaselineSnapshots.save(dir, before);
        assertThat(dir.resolve("ad.auth_spike.json")).exists();
        assertThat(dir.resolve("ad.auth_spike.json.tmp")).doesNotExist();
        AdAuthSpike after = spike();
        BaselineSnapshots.load(dir, after);
        assertThat(after.snapshot()).containsExactlyInAnyOrderElementsOf(before.snapshot());
    }

    @Test
    void corruptOrForeignSnapshotsAreRefusedAndTheDetectionStartsClean() throws Exception {
        for (String content : List.of("{not json", "{\"format\":\"something-else\",\"version\":1,\"baselines\":[]}",
                "{\"format\":\"mamori-state/ad.auth_spike\",\"version\":99,\"baselines\":[]}",
                "{\"format\":\"mamori-state/ad.auth_spike\",\"version\":1,\"baselines\":[{\"account\":\"x\","
                        + "\"mean\":\"lots\"}]}")) {
            Files.writeString(dir.resolve("ad.auth_spike.json"), content);
            AdAuthSpike s = spike();
            BaselineSnapshots.load(dir, s);
            assertThat(s.trackedAccounts()).as(content).isZero();
        }
    }

    @Test
    void missingSnapshotIsAFreshStart() {
        AdAuthSpike s = spike();
        BaselineSnapshots.load(dir.resolve("nothing-here"), s);
        assertThat(s.trackedAccounts()).isZero();
    }
}
