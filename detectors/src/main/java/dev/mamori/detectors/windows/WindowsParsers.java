package dev.mamori.detectors.windows;

import java.time.ZoneId;
import java.util.List;

/** Every form a Windows event travels in, chosen by a cheap look at the message. */
public final class WindowsParsers {

    /** The outcome for one message or document. */
    public sealed interface Result permits Parsed, Malformed, NotWindows {
    }

    public record Parsed(String form, List<WindowsEvent> events) implements Result {
    }

    public record Malformed(String form, String reason) implements Result {
    }

    public record NotWindows() implements Result {
    }

    private static final NotWindows NOT_WINDOWS = new NotWindows();

    private final WindowsXmlParser xml = new WindowsXmlParser();
    private final WindowsJsonParser json;
    private final SnareParser snare;

    public WindowsParsers(ZoneId deviceZone) {
        this.json = new WindowsJsonParser(deviceZone);
        this.snare = new SnareParser(deviceZone);
    }

    public Result parse(String message) {
        String form = "xml";
        try {
            int tag = message.indexOf("<Event");
            if (tag >= 0 && (message.startsWith("<Event>", tag) || message.startsWith("<Event ", tag)
                    || message.startsWith("<Events", tag))) {
                return new Parsed("windows_xml", xml.parse(message.substring(tag)));
            }
            int brace = message.indexOf('{');
            if (brace >= 0 && message.substring(0, brace).isBlank()
                    && (message.contains("\"EventID\"") || message.contains("\"winlog"))) {
                form = "json";
                WindowsEvent e = json.parse(message.substring(brace));
                return e == null ? NOT_WINDOWS : new Parsed("windows_" + e.form(), List.of(e));
            }
            if (message.contains("MSWinEventLog")) {
                form = "snare";
                WindowsEvent e = snare.parse(message);
                return e == null ? NOT_WINDOWS : new Parsed("windows_snare", List.of(e));
            }
        } catch (MalformedEventException e) {
            return new Malformed("windows_" + form, e.getMessage());
        }
        return NOT_WINDOWS;
    }
}
