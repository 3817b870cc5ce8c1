package dev.mamori.sensor.ingest;

import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.mail.MailMessage;
import dev.mamori.detectors.mail.PostfixWarningParser;
import dev.mamori.detectors.rule.Detection;
import java.util.List;

/** Postfix {@code header_checks} WARN lines (From and Content-Type/Disposition) run through the mail rules. */
public final class MailLogFormat implements LineFormat {

    private final PostfixWarningParser parser = new PostfixWarningParser();
    private final List<Detection<MailMessage>> detections;
    private final AlertSink alerts;

    public MailLogFormat(List<Detection<MailMessage>> detections, AlertSink alerts) {
        this.detections = List.copyOf(detections);
        this.alerts = alerts;
    }

    @Override
    public String name() {
        return "mail";
    }

    @Override
    public Outcome handle(LogRecord record) {
        MailMessage m = parser.parse(record.message(), record.time());
        if (m == null) {
            return NOT_MINE;
        }
        for (Detection<MailMessage> d : detections) {
            d.inspect(m, alerts);
        }
        return new Parsed("postfix");
    }
}
