package dev.mamori.detectors.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** MIME and ZIP bombs: the parser's bounds hold, and what is inside the bounds is still seen. */
class MailBoundsTest {

    private final MailParser parser = new MailParser();

    private MailMessage parse(String mail) throws Exception {
        return parser.parse(
                new ByteArrayInputStream(mail.getBytes(StandardCharsets.ISO_8859_1)), Instant.EPOCH, null, null, null);
    }

    private static String zipMail(ByteArrayOutputStream zip) {
        return "From: a@b.example\r\nMIME-Version: 1.0\r\nContent-Type: application/zip; name=x.zip\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(zip.toByteArray()) + "\r\n";
    }

    @Test
    void zipMembersAreListedUpToTheEntryLimit() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            for (int i = 0; i < MailParser.MAX_ZIP_ENTRIES + 500; i++) {
                z.putNextEntry(new ZipEntry("m" + i + ".exe"));
                z.write(new byte[100]);
            }
        }
        MailMessage m = parse(zipMail(zip));
        assertThat(m.attachments()).hasSize(1 + MailParser.MAX_ZIP_ENTRIES); // x.zip itself, then members
    }

    /**
     * A ZIP bomb: listing a streamed archive means inflating each member to find the next header,
     * so past the inflation budget the listing stops; members before the bomb are still named.
     */
    @Test
    void zipBombStopsTheListingAtTheInflationBudget() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("first.exe"));
            z.putNextEntry(new ZipEntry("bomb.bin")); // 128 MiB of zeros, about 128 KiB compressed
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 128; i++) {
                z.write(zeros);
            }
            z.putNextEntry(new ZipEntry("after.exe"));
        }
        assertThat(zip.size()).isLessThan(2 << 20);
        MailMessage m = parse(zipMail(zip));
        assertThat(m.attachments())
                .extracting(MailMessage.Attachment::name)
                .containsExactly("x.zip", "first.exe", "bomb.bin");
    }

    @Test
    void nestingPastTheDepthLimitIsNotWalkedButTheLevelsAboveAre() throws Exception {
        String inner = "Content-Type: application/octet-stream; name=deep.exe\r\n\r\nMZ\r\n";
        StringBuilder mail = new StringBuilder(inner);
        for (int i = 0; i < MailParser.MAX_DEPTH + 10; i++) {
            mail.insert(0, "Content-Type: message/rfc822\r\n\r\n");
        }
        mail.insert(0, "From: a@b.example\r\nMIME-Version: 1.0\r\n");
        assertThat(parse(mail.toString()).attachments()).isEmpty();

        StringBuilder shallow = new StringBuilder(inner);
        for (int i = 0; i < MailParser.MAX_DEPTH - 2; i++) {
            shallow.insert(0, "Content-Type: message/rfc822\r\n\r\n");
        }
        shallow.insert(0, "From: a@b.example\r\nMIME-Version: 1.0\r\n");
        assertThat(parse(shallow.toString()).attachments())
                .extracting(MailMessage.Attachment::name)
                .containsExactly("deep.exe");
    }

    @Test
    void partsPastThePartLimitAreNotWalked() throws Exception {
        StringBuilder mail = new StringBuilder(
                "From: a@b.example\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n");
        for (int i = 0; i < MailParser.MAX_PARTS + 100; i++) {
            mail.append("--B\r\nContent-Type: application/octet-stream; name=p")
                    .append(i)
                    .append(".exe\r\n\r\nMZ\r\n");
        }
        mail.append("--B--\r\n");
        // the multipart itself is the first part walked
        assertThat(parse(mail.toString()).attachments()).hasSize(MailParser.MAX_PARTS - 1);
    }
}
