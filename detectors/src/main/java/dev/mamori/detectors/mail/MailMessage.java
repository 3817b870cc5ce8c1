package dev.mamori.detectors.mail;

import java.time.Instant;
import java.util.List;

/**
 * What the mail rules need of one message. Absent parts are null (a Postfix warning line carries
 * only the header it warned about).
 *
 * @param recipients envelope recipients when known, else the To/Cc addresses
 * @param source {@code smtp} (whole message) or {@code postfix} (a log line)
 */
public record MailMessage(
        Instant time,
        String fromAddress,
        String fromDisplayName,
        String messageId,
        String envelopeFrom,
        List<String> recipients,
        List<Attachment> attachments,
        String client,
        String source,
        String original) {

    public MailMessage {
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /**
     * One attached file: its decoded name (may be null when only the type says it is executable),
     * its MIME type, and the archive it sits in ({@code null} at top level).
     */
    public record Attachment(String name, String contentType, String container) {}
}
