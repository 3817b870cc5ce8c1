package dev.mamori.sensor.ingest;

import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.sensor.metrics.SensorMetrics;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Offers each line to the formats in order; the first that recognises it handles it. A line no
 * format recognises is counted in {@code mamori_parse_failures_total{format="unrecognised"}}, never
 * dropped silently. Thread-safe as long as the formats are.
 */
public final class LineRouter {

    private final List<LineFormat> formats;
    private final List<Counter> parsed = new ArrayList<>();
    private final Counter unrecognised;
    private final LongAdder recognisedCount = new LongAdder();
    private final LongAdder unrecognisedCount = new LongAdder();

    public LineRouter(List<LineFormat> formats, SensorMetrics metrics) {
        this.formats = List.copyOf(formats);
        for (LineFormat f : this.formats) {
            parsed.add(metrics.eventsParsed(f.name()));
        }
        this.unrecognised = metrics.parseFailures("unrecognised");
    }

    /** @return whether some format recognised the line */
    public boolean route(String line, ObserverInput input) {
        for (int i = 0; i < formats.size(); i++) {
            if (formats.get(i).handle(line, input)) {
                parsed.get(i).increment();
                recognisedCount.increment();
                return true;
            }
        }
        unrecognised.increment();
        unrecognisedCount.increment();
        return false;
    }

    public long recognised() {
        return recognisedCount.sum();
    }

    public long unrecognised() {
        return unrecognisedCount.sum();
    }

    public List<String> formatNames() {
        return formats.stream().map(LineFormat::name).toList();
    }
}
