package dev.mamori.sensor.ingest;

import dev.mamori.detectors.parse.ParseOutcome;
import java.util.List;

/**
 * One family of log formats as the router sees it: recognises its lines, parses them, and runs its
 * detections on the result ({@link DetectingFormat} is the one implementation). Called on input
 * threads; must not block.
 */
public interface LineFormat {

    /** A short name for logs. */
    String name();

    /** What became of one line: parsed (and inspected), malformed, or not this family's. */
    ParseOutcome<?> handle(LogRecord record);

    /**
     * Parses the line without inspecting it and answers its routing keys ({@link RoutingKeys}):
     * empty when the line is this family's but names none, null when it is not this family's.
     */
    List<String> routingKeys(LogRecord record);
}
