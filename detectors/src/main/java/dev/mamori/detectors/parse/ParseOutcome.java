package dev.mamori.detectors.parse;

import java.util.List;

/**
 * What a log format made of one line: its events, a line of its own it could not read, or a line
 * that is not its at all (the next format may take it). The same three answers for every format,
 * so the router counts them the same way.
 *
 * @param <T> the event type
 */
public sealed interface ParseOutcome<T> {

    /** Read as {@code format} (the label of {@code mamori_events_parsed_total}); one or more events. */
    record Parsed<T>(String format, List<T> events) implements ParseOutcome<T> {
        public Parsed {
            events = List.copyOf(events);
        }

        /** The only event of a one-event line. */
        public T event() {
            return events.get(0);
        }
    }

    /** It carries {@code format}'s signature but could not be read; counted as that format's failure. */
    record Malformed<T>(String format, String reason) implements ParseOutcome<T> {}

    /** Not this format's line. */
    record NotMine<T>() implements ParseOutcome<T> {
        /** Every line tries format after format: one answer for all, not an object each time. */
        private static final NotMine<?> INSTANCE = new NotMine<>();
    }

    static <T> ParseOutcome<T> parsed(String format, T event) {
        return new Parsed<>(format, List.of(event));
    }

    static <T> ParseOutcome<T> malformed(String format, String reason) {
        return new Malformed<>(format, reason);
    }

    @SuppressWarnings("unchecked") // NotMine carries no T
    static <T> ParseOutcome<T> notMine() {
        return (ParseOutcome<T>) NotMine.INSTANCE;
    }
}
