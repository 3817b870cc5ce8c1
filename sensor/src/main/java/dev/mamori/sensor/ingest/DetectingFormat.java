package dev.mamori.sensor.ingest;

import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.parse.LogFormat;
import dev.mamori.detectors.parse.ParseOutcome;
import dev.mamori.detectors.rule.Detection;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

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
    private final Function<T, List<String>> key;
    private final List<Detection<T>> followUps;

    /**
     * @param key the routing key of an event ({@link RoutingKeys})
     * @param followUps the detections a follow-up record ({@link LogRecord#followUp()}) is shown to:
     *     those whose state is kept where the copy was sent
     */
    public DetectingFormat(
            LogFormat<T> format,
            List<Detection<T>> detections,
            AlertSink alerts,
            BiConsumer<LogRecord, T> observer,
            Function<T, List<String>> key,
            List<Detection<T>> followUps) {
        this.format = format;
        this.key = key;
        this.followUps = List.copyOf(followUps);
        this.detections = List.copyOf(detections);
        this.alerts = alerts;
        this.observer = observer;
    }

    public DetectingFormat(LogFormat<T> format, List<Detection<T>> detections, AlertSink alerts) {
        this(format, detections, alerts, (r, e) -> {}, e -> List.of(), List.of());
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

    @Override
    public List<String> routingKeys(LogRecord record) {
        ParseOutcome<T> outcome = format.parse(record.message(), record.host(), record.time());
        if (outcome instanceof ParseOutcome.NotMine<T>) {
            return null;
        }
        if (outcome instanceof ParseOutcome.Parsed<T> parsed && !parsed.events().isEmpty()) {
            return key.apply(parsed.events().get(0));
        }
        return List.of();
    }

    /** An event that came parsed already (a record of an EVTX file): observed and inspected as a line's. */
    public void inspect(LogRecord record, T event) {
        if (record.followUp()) {
            for (Detection<T> d : followUps) {
                d.inspect(event, alerts);
            }
            return;
        }
        observer.accept(record, event);
        for (Detection<T> d : detections) {
            d.inspect(event, alerts);
        }
    }
}
