package dev.mamori.sensor.ingest;

import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.Findings;
import dev.mamori.detectors.mail.MailMessage;
import dev.mamori.detectors.mail.MailParser;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.protocols.smtp.SmtpService;
import dev.mamori.sensor.metrics.SensorMetrics;
import io.micrometer.core.instrument.Counter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verdict on each relayed message: parse it (mime4j), run the mail rules, then per
 * {@code inputs.smtp.action} and the rules that found something in it: {@code monitor} relays it unchanged, {@code tag} relays it with an
 * {@code X-Mamori-Alert: <rule ids>} header added at the top (nothing else changed), {@code reject}
 * refuses it with 554 5.7.1 naming the rules. Every rule's alert is raised whatever the action.
 * Counts {@code mamori_smtp_messages_total{verdict}} and, as format {@code mime},
 * {@code mamori_events_parsed_total} / {@code mamori_parse_failures_total} (a message that cannot
 * be parsed is relayed unchecked: refusing it would lose mail over a parser's limits).
 */
public final class SmtpMailService implements SmtpService {

    private static final Logger log = LoggerFactory.getLogger(SmtpMailService.class);

    private final MailParser parser = new MailParser();
    private final List<Detection<MailMessage>> detections;
    private final String action;
    private final AlertSink alerts;
    private final Clock clock;
    private final Counter received;
    private final Counter parsed;
    private final Counter unparsed;
    private final Map<String, Counter> verdicts = new ConcurrentHashMap<>();
    private final Counter tooManyConnections;

    public SmtpMailService(
            List<Detection<MailMessage>> detections,
            String action,
            AlertSink alerts,
            Clock clock,
            SensorMetrics metrics) {
        this.detections = List.copyOf(detections);
        this.action = action;
        this.alerts = alerts;
        this.clock = clock;
        this.received = metrics.eventsReceived("smtp", "tcp");
        this.parsed = metrics.eventsParsed("mime");
        this.unparsed = metrics.parseFailures("mime");
        this.tooManyConnections = metrics.eventsDropped("smtp", "too_many_connections");
        for (String v : new String[] {"relayed", "tagged", "rejected", "deferred"}) {
            verdicts.put(v, metrics.smtpMessages(v));
        }
    }

    @Override
    public Verdict inspect(Envelope envelope, byte[] message) {
        received.increment();
        MailMessage mail;
        try {
            String client = envelope.xforward().getOrDefault("ADDR", envelope.client());
            mail = parser.parse(
                    new ByteArrayInputStream(message),
                    clock.instant(),
                    envelope.mailFrom(),
                    envelope.recipients(),
                    client);
        } catch (IOException | MailParser.MalformedMailException e) {
            unparsed.increment();
            log.info(
                    "smtp: cannot parse a message from {} ({}); relaying it unchecked",
                    envelope.mailFrom(),
                    e.getMessage());
            return new Relay(message, "relayed");
        }
        parsed.increment();
        Findings findings = new Findings(alerts);
        for (Detection<MailMessage> d : detections) {
            d.inspect(mail, findings);
        }
        Set<String> rules = findings.rules();
        if (rules.isEmpty() || action.equals("monitor")) {
            return new Relay(message, "relayed");
        }
        if (action.equals("reject")) {
            return new Reject("554 5.7.1 Message rejected by Mamori: " + String.join(", ", rules));
        }
        byte[] header = ("X-Mamori-Alert: " + String.join(", ", rules) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tagged = new byte[header.length + message.length];
        System.arraycopy(header, 0, tagged, 0, header.length);
        System.arraycopy(message, 0, tagged, header.length, message.length);
        return new Relay(tagged, "tagged");
    }

    @Override
    public void outcome(String verdict) {
        Counter c = verdicts.get(verdict);
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public void refused(String reason) {
        tooManyConnections.increment();
    }
}
