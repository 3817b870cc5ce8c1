package dev.mamori.sensor.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.Language;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.mail.MailDisplayNameSpoof;
import dev.mamori.detectors.mail.MailExecutableAttachment;
import dev.mamori.protocols.smtp.SmtpService;
import dev.mamori.sensor.metrics.SensorMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The three actions on a clean and a suspicious message, byte for byte. */
class SmtpMailServiceTest {

    private static final String CLEAN = "From: \"Alice Example\" <alice@example.org>\r\nTo: bob@corp.example\r\n"
            + "Subject: lunch\r\nMessage-ID: <1@example.org>\r\n\r\nnoon?\r\n";
    private static final String SPOOF = "From: \"ceo@corp.example\" <x@evil.example>\r\nTo: bob@corp.example\r\n"
            + "Subject: wire\r\nMessage-ID: <2@evil.example>\r\n\r\npay now\r\n";
    private static final SmtpService.Envelope ENVELOPE = new SmtpService.Envelope(
            "192.0.2.7",
            "mx.evil.example",
            "x@evil.example",
            List.of("bob@corp.example"),
            Map.of("ADDR", "198.51.100.9"));

    private final SensorMetrics metrics = new SensorMetrics("test");
    private final List<Alert> alerts = new ArrayList<>();

    @AfterEach
    void close() {
        metrics.close();
    }

    private SmtpMailService service(String action) {
        Clock clock = Clock.systemUTC();
        AlertFactory factory = new AlertFactory(MessageCatalog.load(Language.EN), clock);
        return new SmtpMailService(
                List.of(
                        new MailDisplayNameSpoof(Set.of("corp.example"), factory, ObserverInput.SMTP, clock),
                        new MailExecutableAttachment(Set.of("exe"), factory, ObserverInput.SMTP, clock)),
                action,
                alerts::add,
                clock,
                metrics);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void monitorRelaysEverythingUnchangedButStillAlerts() {
        SmtpMailService s = service("monitor");
        assertThat(s.inspect(ENVELOPE, bytes(SPOOF)))
                .isInstanceOfSatisfying(
                        SmtpService.Relay.class, r -> assertThat(r.message()).isEqualTo(bytes(SPOOF)));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.ruleId()).isEqualTo("mail.display_name_spoof");
            assertThat(a.field(AlertField.SOURCE_IP)).isEqualTo("198.51.100.9");
        });
    }

    @Test
    void tagAddsOneHeaderOnTopOnlyToMatchingMail() {
        SmtpMailService s = service("tag");
        assertThat(s.inspect(ENVELOPE, bytes(CLEAN)))
                .isInstanceOfSatisfying(
                        SmtpService.Relay.class, r -> assertThat(r.message()).isEqualTo(bytes(CLEAN)));
        assertThat(s.inspect(ENVELOPE, bytes(SPOOF)))
                .isInstanceOfSatisfying(
                        SmtpService.Relay.class,
                        r -> assertThat(new String(r.message(), StandardCharsets.US_ASCII))
                                .isEqualTo("X-Mamori-Alert: mail.display_name_spoof\r\n" + SPOOF));
        assertThat(metrics.scrape()).contains("mamori_events_parsed_total{format=\"mime\"} 2.0");
    }

    @Test
    void rejectRefusesMatchingMailNamingTheRule() {
        SmtpMailService s = service("reject");
        assertThat(s.inspect(ENVELOPE, bytes(SPOOF)))
                .isEqualTo(new SmtpService.Reject("554 5.7.1 Message rejected by Mamori: mail.display_name_spoof"));
        assertThat(s.inspect(ENVELOPE, bytes(CLEAN))).isInstanceOf(SmtpService.Relay.class);
    }
}
