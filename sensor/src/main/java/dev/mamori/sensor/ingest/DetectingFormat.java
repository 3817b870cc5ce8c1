package dev.mamori.sensor.ingest;

import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.parse.LogFormat;
import dev.mamori.detectors.parse.ParseOutcome;
import dev.mamori.detectors.rule.Detection;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A log format and the detections of its event type: every event of a parsed line is shown to the
 * observer (the firewall's review tally, for one) and then inspected by each detection.
 *
 * @param <T> the event type
 */
public final class DetectingFormat<T> implements LineFormat {

    private final LogFormat<T> format;
    private final List<Detection<T>> detections;
    private final AlertSink alerts;
    private final BiConsumer<LogRecord, T> observer;

    public DetectingFormat(
            LogFormat<T> format, List<Detection<T>> detections, AlertSink alerts, BiConsumer<LogRecord, T> observer) {
        this.format = format;
        this.detections = List.copyOf(detections);
        this.alerts = alerts;
        this.observer = observer;
    }

    public DetectingFormat(LogFormat<T> format, List<Detection<T>> detections, AlertSink alerts) {
        this(format, detections, alerts, (r, e) -> {});
    }

    @Override
    public String name() {
        return format.family();
    }

    @Override
    public ParseOutcome<T> handle(LogRecord record) {
        ParseOutcome<T> outcome = format.parse(record.message(), record.host(), record.time());
        if (outcome instanceof ParseOutcome.Parsed<T> parsed) {
            for (T event : parsed.events()) {
                inspect(record, event);
            }
        }
        return outcome;
    }

    /** An event that came parsed already (a record of an EVTX file): observed and inspected as a line's. */
    public void inspect(LogRecord record, T event) {
        observer.accept(record, event);
        for (Detection<T> d : detections) {
            d.inspect(event, alerts);
        }
    }
}
