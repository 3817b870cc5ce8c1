package dev.mamori.detectors.mail;

import dev.mamori.detectors.parse.LogFormat;
import dev.mamori.detectors.parse.ParseOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.dom.field.ContentDispositionField;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.dom.field.MailboxListField;
import org.apache.james.mime4j.dom.field.ParsedField;
import org.apache.james.mime4j.field.DefaultFieldParser;

/**
 * Postfix {@code cleanup} warnings from {@code header_checks} WARN rules, e.g.
 * {@code 4F3A1: warning: header From: "CEO <ceo@corp.example>" <x@evil.example> from mx[192.0.2.1];
 * from=<x@evil.example> to=<bob@corp.example> proto=ESMTP helo=<evil>} or
 * {@code warning: header Content-Type: application/octet-stream; name="a.exe" from ...}. The header
 * is parsed with the same mime4j field parsers as whole messages.
 */
public final class PostfixWarningParser implements LogFormat<MailMessage> {

    private static final String MARK = "warning: header ";

    @Override
    public String family() {
        return "mail";
    }

    /** A header_checks warning is one event; anything else is not this format's line. */
    @Override
    public ParseOutcome<MailMessage> parse(String message, String host, Instant time) {
        MailMessage m = parse(message, time);
        return m == null ? ParseOutcome.notMine() : ParseOutcome.parsed("postfix", m);
    }

    /** @return null when the line is not such a warning */
    public MailMessage parse(String message, Instant time) {
        int at = message.indexOf(MARK);
        if (at < 0) {
            return null;
        }
        String rest = message.substring(at + MARK.length());
        int fromClient =
                rest.lastIndexOf(" from ", rest.indexOf("; from=") < 0 ? rest.length() : rest.indexOf("; from="));
        String header = fromClient > 0 ? rest.substring(0, fromClient) : rest;
        String tail = fromClient > 0 ? rest.substring(fromClient) : "";
        String client = between(tail, "[", "]");
        String envelopeFrom = between(tail, "from=<", ">");
        String to = between(tail, "to=<", ">");
        ParsedField field;
        try {
            field = DefaultFieldParser.parse(header);
        } catch (MimeException e) {
            return null;
        }
        String fromAddress = null;
        String fromName = null;
        List<MailMessage.Attachment> attachments = List.of();
        if (field instanceof MailboxListField f && field.getName().equalsIgnoreCase("From")) {
            if (f.getMailboxList() != null && !f.getMailboxList().isEmpty()) {
                Mailbox mb = f.getMailboxList().get(0);
                fromAddress = mb.getAddress();
                fromName = mb.getName();
            }
        } else if (field instanceof ContentTypeField ct) {
            Map<String, String> params = ct.getParameters();
            String name = Rfc2231.parameter(params, "name");
            attachments = List.of(new MailMessage.Attachment(
                    name == null ? null : DecoderUtil.decodeEncodedWords(name, DecodeMonitor.SILENT),
                    ct.getMimeType() == null ? "" : ct.getMimeType().toLowerCase(Locale.ROOT),
                    null));
        } else if (field instanceof ContentDispositionField cd && cd.getFilename() != null) {
            attachments = List.of(new MailMessage.Attachment(cd.getFilename(), "", null));
        } else {
            return null;
        }
        return new MailMessage(
                time,
                fromAddress,
                fromName,
                null,
                envelopeFrom,
                to == null ? List.of() : List.of(to),
                attachments,
                client,
                "postfix",
                message.substring(at));
    }

    private static String between(String s, String open, String close) {
        int a = s.indexOf(open);
        if (a < 0) {
            return null;
        }
        int b = s.indexOf(close, a + open.length());
        return b < 0 ? null : s.substring(a + open.length(), b);
    }
}
