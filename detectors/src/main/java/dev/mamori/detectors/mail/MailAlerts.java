package dev.mamori.detectors.mail;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import java.time.Clock;

/** The fields every mail alert carries: envelope, Message-ID, From and its display name. */
final class MailAlerts {
    private MailAlerts() {}

    static AlertFactory.Builder start(AlertFactory alerts, Rule rule, ObserverInput input, MailMessage m, Clock clock) {
        return alerts.alert(rule, "postfix".equals(m.source()) ? input : ObserverInput.SMTP)
                .at(m.time() != null ? m.time() : clock.instant())
                .field(AlertField.EMAIL_FROM_ADDRESS, m.fromAddress())
                .field(AlertField.EMAIL_FROM_DISPLAY_NAME, m.fromDisplayName())
                .field(AlertField.SOURCE_IP, m.client())
                .field(AlertField.USER_NAME, m.envelopeFrom())
                .field(
                        AlertField.EVENT_ORIGINAL,
                        m.original() != null
                                ? m.original()
                                : "Message-ID: " + m.messageId() + "; envelope from " + m.envelopeFrom() + " to "
                                        + String.join(", ", m.recipients()));
    }
}
