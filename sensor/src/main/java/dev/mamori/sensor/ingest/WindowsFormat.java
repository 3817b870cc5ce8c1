package dev.mamori.sensor.ingest;

import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.windows.WindowsEvent;
import dev.mamori.detectors.windows.WindowsParsers;
import java.util.List;

/**
 * Windows events in any of their forms (Event XML, NXLog or Winlogbeat JSON, Snare), one per syslog
 * message or several in one XML document, run through the AD detections.
 */
public final class WindowsFormat implements LineFormat {

    private final WindowsParsers parsers;
    private final List<Detection<WindowsEvent>> detections;
    private final AlertSink alerts;

    public WindowsFormat(WindowsParsers parsers, List<Detection<WindowsEvent>> detections, AlertSink alerts) {
        this.parsers = parsers;
        this.detections = List.copyOf(detections);
        this.alerts = alerts;
    }

    @Override
    public String name() {
        return "windows";
    }

    @Override
    public Outcome handle(LogRecord record) {
        WindowsParsers.Result r = parsers.parse(record.message());
        if (r instanceof WindowsParsers.Parsed p) {
            for (WindowsEvent e : p.events()) {
                for (Detection<WindowsEvent> d : detections) {
                    d.inspect(e, alerts);
                }
            }
            return new Parsed(p.form());
        }
        if (r instanceof WindowsParsers.Malformed m) {
            return new Failed(m.form(), m.reason());
        }
        return NOT_MINE;
    }
}
