package dev.mamori.detectors.windows;

import dev.mamori.detectors.parse.LogFormat;
import dev.mamori.detectors.parse.ParseOutcome;
import java.time.Instant;
import java.time.ZoneId;

/** Every form a Windows event travels in, chosen by a cheap look at the message. */
public final class WindowsParsers implements LogFormat<WindowsEvent> {

    private final WindowsXmlParser xml = new WindowsXmlParser();
    private final WindowsJsonParser json;
    private final SnareParser snare;

    public WindowsParsers(ZoneId deviceZone) {
        this.json = new WindowsJsonParser(deviceZone);
        this.snare = new SnareParser(deviceZone);
    }

    @Override
    public String family() {
        return "windows";
    }

    @Override
    public ParseOutcome<WindowsEvent> parse(String message, String host, Instant time) {
        return parse(message);
    }

    /** One message or document; Windows events carry their own time and computer. */
    public ParseOutcome<WindowsEvent> parse(String message) {
        String form = "xml";
        try {
            int tag = message.indexOf("<Event");
            if (tag >= 0
                    && (message.startsWith("<Event>", tag)
                            || message.startsWith("<Event ", tag)
                            || message.startsWith("<Events", tag))) {
                return new ParseOutcome.Parsed<>("windows_xml", xml.parse(message.substring(tag)));
            }
            int brace = message.indexOf('{');
            if (brace >= 0
                    && message.substring(0, brace).isBlank()
                    && (message.contains("\"EventID\"") || message.contains("\"winlog"))) {
                form = "json";
                WindowsEvent e = json.parse(message.substring(brace));
                return e == null ? ParseOutcome.notMine() : ParseOutcome.parsed("windows_" + e.form(), e);
            }
            if (message.contains("MSWinEventLog")) {
                form = "snare";
                WindowsEvent e = snare.parse(message);
                return e == null ? ParseOutcome.notMine() : ParseOutcome.parsed("windows_snare", e);
            }
        } catch (MalformedEventException e) {
            return ParseOutcome.malformed("windows_" + form, e.getMessage());
        }
        return ParseOutcome.notMine();
    }
}
