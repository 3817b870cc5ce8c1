package dev.mamori.sensor.ingest;

/**
 * One family of log formats (firewalls, proxy logs, Windows events): recognises its lines, parses
 * them, and runs its detections on the result. Called on input threads; must not block.
 */
public interface LineFormat {

    /** What became of one line. */
    sealed interface Outcome permits Parsed, Failed, NotMine {
    }

    /** Parsed as {@code format} (the label of {@code mamori_events_parsed_total}). */
    record Parsed(String format) implements Outcome {
    }

    /** It is {@code format}, but could not be read; counted in {@code mamori_parse_failures_total}. */
    record Failed(String format, String reason) implements Outcome {
    }

    /** Not this family's; the router offers it to the next. */
    record NotMine() implements Outcome {
    }

    Outcome NOT_MINE = new NotMine();

    /** A short name for logs. */
    String name();

    Outcome handle(LogRecord record);
}
