package dev.mamori.detectors.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.Language;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Severity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class MailTest {

    private static final AlertFactory ALERTS = new AlertFactory(MessageCatalog.load(Language.EN), Clock.systemUTC());
    private final MailParser parser = new MailParser();
    private final MailDisplayNameSpoof spoof =
            new MailDisplayNameSpoof(Set.of("corp.example"), ALERTS, ObserverInput.SYSLOG, Clock.systemUTC());
    private final MailExecutableAttachment exe = new MailExecutableAttachment(
            Executables.DEFAULT_EXTENSIONS, ALERTS, ObserverInput.SYSLOG, Clock.systemUTC());
    private final List<Alert> alerts = new ArrayList<>();

    private MailMessage parse(String raw) throws Exception {
        MailMessage m = parser.parse(
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)),
                Instant.now(),
                "bounce@sender.example",
                List.of("bob@corp.example"),
                "192.0.2.1");
        spoof.inspect(m, alerts::add);
        exe.inspect(m, alerts::add);
        return m;
    }

    private static String mail(String from, String parts) {
        return "From: " + from
                + "\r\nTo: bob@corp.example\r\nSubject: test\r\nMessage-ID: <1@x>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"B1\"\r\n\r\n--B1\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
                + parts + "--B1--\r\n";
    }

    private static String attachment(String contentType, String disposition, String body) {
        return "--B1\r\nContent-Type: " + contentType + "\r\n"
                + (disposition == null ? "" : "Content-Disposition: " + disposition + "\r\n")
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(body.getBytes(StandardCharsets.ISO_8859_1)) + "\r\n";
    }

    @Test
    void cleanMailDoesNotAlert() throws Exception {
        parse(mail(
                "\"Alice Example\" <alice@example.org>",
                attachment("application/pdf; name=\"report.pdf\"", "attachment; filename=\"report.pdf\"", "%PDF-1.4")));
        parse(mail("\"alice@example.org\" <alice@example.org>", ""));
        parse(mail("\"ALICE@Example.org\" <alice@example.org>", ""));
        parse(mail(
                "\"support at example\" <help@example.org>", attachment("text/plain; name=\"notes.txt\"", null, "x")));
        assertThat(alerts).isEmpty();
    }

    @Test
    void displayNameSpoofsDecodedFromRfc2047() throws Exception {
        MailMessage m = parse(mail("=?UTF-8?B?5bGx55SwIDx5YW1hZGFAY29ycC5leGFtcGxlPg==?= <x@evil.example>", ""));
        assertThat(m.fromDisplayName()).isEqualTo("山田 <yamada@corp.example>");
        parse(mail("=?ISO-8859-1?Q?Support_=3Chelp=40bank=2Eexample=3E?= <x@evil.example>", ""));
        parse(mail("\"Bob via ceo@localhost\" <x@evil.example>", ""));
        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(0).severity()).as("the organisation's own domain").isEqualTo(Severity.HIGH);
        assertThat(alerts.get(0).field(AlertField.EMAIL_FROM_ADDRESS)).isEqualTo("x@evil.example");
        assertThat(alerts.get(0).field(AlertField.EMAIL_FROM_DISPLAY_NAME)).isEqualTo("山田 <yamada@corp.example>");
        assertThat(alerts.get(1).severity()).isEqualTo(Severity.MEDIUM);
        assertThat(alerts.get(1).message())
                .isEqualTo("From display name \"Support <help@bank.example>\" contains"
                        + " help@bank.example, but the message is from x@evil.example");
    }

    @Test
    void executableNamesFromDispositionTypeAndRfc2231() throws Exception {
        parse(mail(
                "a@example.org",
                attachment(
                        "application/octet-stream; name=\"hello_world.exe\"",
                        "attachment; filename=\"hello_world.exe\"",
                        "MZ")));
        parse(mail(
                "a@example.org",
                attachment(
                        "application/octet-stream;\r\n name*0*=UTF-8''%E8%AB%8B%E6%B1%82;\r\n"
                                + " name*1*=%E6%9B%B8.pdf.exe",
                        null, "MZ")));
        parse(mail(
                "a@example.org",
                attachment(
                        "application/octet-stream", "attachment;\r\n filename*=UTF-8''invoice%E2%80%AEfdp.scr", "MZ")));
        parse(mail("a@example.org", attachment("application/x-msdownload", null, "MZ")));
        assertThat(alerts)
                .extracting(a -> a.field(AlertField.FILE_NAME) + " " + a.severity())
                .containsExactly(
                        "hello_world.exe MEDIUM",
                        "請求書.pdf.exe HIGH",
                        "invoice\u202Efdp.scr HIGH",
                        "application/x-msdownload HIGH");
    }

    @Test
    void executablesInNestedMessagesAndZipArchives() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("readme.txt"));
            z.write("hi".getBytes(StandardCharsets.US_ASCII));
            z.putNextEntry(new ZipEntry("docs/invoice.exe"));
            z.write(new byte[] {'M', 'Z', (byte) 0x90, 0});
        }
        MailMessage m = parse(mail(
                "a@example.org",
                attachment(
                        "application/zip; name=f.zip",
                        "attachment; filename=f.zip",
                        zip.toString(StandardCharsets.ISO_8859_1))));
        assertThat(m.attachments()).extracting(MailMessage.Attachment::name).contains("f.zip", "docs/invoice.exe");
        String inner = "From: x@y.example\r\nSubject: inner\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed;"
                + " boundary=I\r\n\r\n--I\r\nContent-Type: application/octet-stream; name=\"setup.msi\"\r\n\r\nMZ\r\n--I--\r\n";
        parse(mail("a@example.org", "--B1\r\nContent-Type: message/rfc822\r\n\r\n" + inner + "\r\n"));
        assertThat(alerts)
                .extracting(a -> a.field(AlertField.FILE_NAME))
                .containsExactly("docs/invoice.exe", "setup.msi");
        assertThat(alerts.get(0).message()).contains("f.zip > docs/invoice.exe");
    }

    @Test
    void postfixHeaderChecksWarnings() {
        PostfixWarningParser p = new PostfixWarningParser();
        MailMessage from = p.parse(
                "postfix/cleanup[1234]: 4F3A112345: warning: header From: \"CEO"
                        + " <ceo@corp.example>\" <x@evil.example> from mx.evil.example[198.51.100.9]; from=<x@evil.example>"
                        + " to=<bob@corp.example> proto=ESMTP helo=<mx.evil.example>",
                Instant.now());
        assertThat(from.fromAddress()).isEqualTo("x@evil.example");
        assertThat(from.fromDisplayName()).isEqualTo("CEO <ceo@corp.example>");
        assertThat(from.client()).isEqualTo("198.51.100.9");
        assertThat(from.recipients()).containsExactly("bob@corp.example");
        spoof.inspect(from, alerts::add);
        MailMessage type = p.parse(
                "postfix/cleanup[1234]: 4F3A112345: warning: header Content-Type:"
                        + " application/octet-stream; name=\"invoice.pdf.exe\" from mx[198.51.100.9]; from=<x@evil.example>"
                        + " to=<bob@corp.example> proto=ESMTP helo=<mx>",
                Instant.now());
        exe.inspect(type, alerts::add);
        assertThat(alerts)
                .extracting(Alert::ruleId, Alert::severity)
                .containsExactly(
                        Tuple.tuple("mail.display_name_spoof", Severity.HIGH),
                        Tuple.tuple("mail.executable_attachment", Severity.HIGH));
        assertThat(alerts.get(0).input()).isEqualTo(ObserverInput.SYSLOG);
        assertThat(p.parse("postfix/smtpd[1]: connect from x[1.2.3.4]", Instant.now()))
                .isNull();
    }
}
