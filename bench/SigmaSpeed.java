import dev.mamori.detectors.alert.Language;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.evtx.EvtxReader;
import dev.mamori.detectors.sigma.SigmaEngine;
import dev.mamori.detectors.sigma.SigmaRules;
import dev.mamori.detectors.windows.WindowsEvent;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Windows events per second through the Sigma engine with a rule folder loaded: args[0] the rules,
 * the rest EVTX files whose events are replayed (read once, then evaluated for 10 s after a warm-up).
 */
public class SigmaSpeed {
    public static void main(String[] args) throws Exception {
        SigmaRules.Loaded loaded = SigmaRules.load(
                List.of(Path.of(args[0])), Set.of("stable", "test", "experimental"), Severity.LOW, true);
        SigmaEngine engine = new SigmaEngine(
                loaded, MessageCatalog.load(Language.EN), ObserverInput.FILE, Clock.systemUTC(), 100_000);
        List<WindowsEvent> events = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            EvtxReader.read(ByteBuffer.wrap(Files.readAllBytes(Path.of(args[i]))), events::add);
        }
        long[] alerts = {0};
        for (int i = 0; i < 20; i++) {
            for (WindowsEvent e : events) {
                engine.windows(e, a -> alerts[0]++);
            }
        }
        long n = 0;
        alerts[0] = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < 10_000_000_000L) {
            for (WindowsEvent e : events) {
                engine.windows(e, a -> alerts[0]++);
            }
            n += events.size();
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("sigma: %d rules (%d on Windows events), %d distinct events replayed: %.0f events/s,"
                        + " %.1f us/event, %.2f alerts/event%n",
                loaded.rules().size(), engine.windowsRules(), events.size(), n / s, s * 1e6 / n, alerts[0] / (double) n);
    }
}
