package dev.mamori.sensor.ingest;

import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.detectors.proxy.ProxyLogParser;
import dev.mamori.detectors.rule.Detection;
import java.util.List;

/** Proxy access-log lines (Squid native, {@code mamori}, combined) run through the proxy detections. */
public final class ProxyFormat implements LineFormat {

    private final ProxyLogParser parser = new ProxyLogParser();
    private final List<Detection<ProxyEvent>> detections;
    private final AlertSink alerts;

    public ProxyFormat(List<Detection<ProxyEvent>> detections, AlertSink alerts) {
        this.detections = List.copyOf(detections);
        this.alerts = alerts;
    }

    @Override
    public String name() {
        return "proxy";
    }

    @Override
    public Outcome handle(LogRecord record) {
        ProxyLogParser.Result r = parser.parse(record.message());
        if (r instanceof ProxyLogParser.Parsed p) {
            for (Detection<ProxyEvent> d : detections) {
                d.inspect(p.event(), alerts);
            }
            return new Parsed(p.event().source());
        }
        if (r instanceof ProxyLogParser.Malformed m) {
            return new Failed(m.format(), m.reason());
        }
        return NOT_MINE;
    }
}
