package dev.mamori.protocols.syslog;

import java.time.Instant;

/**
 * One syslog message, whatever its wire format. Absent header fields are null (facility and
 * severity -1). {@code hostname} falls back to the sender's address when the header has none, so
 * that every message names its device. {@code message} is the free-form part (BOM and surrounding
 * line terminators removed); {@code raw} the whole decoded frame; {@code sender} the address it came
 * from (null when read from a file).
 */
public record SyslogMessage(
        Format format,
        int facility,
        int severity,
        Instant timestamp,
        String hostname,
        String appName,
        String procId,
        String msgId,
        String structuredData,
        String message,
        String raw,
        String sender) {

    /** Which header the message carried. */
    public enum Format {
        RFC5424,
        RFC3164,
        HEADERLESS
    }
}
