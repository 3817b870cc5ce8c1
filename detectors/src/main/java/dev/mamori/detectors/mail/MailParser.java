package dev.mamori.detectors.mail;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.james.mime4j.MimeIOException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.dom.address.MailboxList;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * Reads a raw RFC 5322 message into a {@link MailMessage}: the From mailbox (display name decoded
 * from RFC 2047), Message-ID, To/Cc, and every attachment name from Content-Type {@code name=} and
 * Content-Disposition {@code filename=} (RFC 2047 and RFC 2231 decoded), through nested multiparts
 * and attached messages, and the member names of ZIP attachments.
 *
 * <p>Bounded: header count and size, line length, nesting depth ({@value #MAX_DEPTH}), parts
 * ({@value #MAX_PARTS}), ZIP members read ({@value #MAX_ZIP_ENTRIES} names). A streamed ZIP can only
 * be listed by inflating each member to reach the next header; past {@value #MAX_ZIP_INFLATED}
 * inflated bytes per archive the listing stops, so a ZIP bomb costs bounded time and no memory.
 */
public final class MailParser {

    static final int MAX_DEPTH = 16;
    static final int MAX_PARTS = 500;
    static final int MAX_ZIP_ENTRIES = 1000;
    static final long MAX_ZIP_INFLATED = 32L << 20;

    /** Thrown for input mime4j refuses outright. */
    public static final class MalformedMailException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedMailException(String message) {
            super(message, null, false, false);
        }
    }

    private final DefaultMessageBuilder builder;

    public MailParser() {
        builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.custom()
                .setMaxHeaderCount(1000)
                .setMaxHeaderLen(64 * 1024)
                .setMaxLineLen(64 * 1024)
                .setMaxContentLen(-1)
                .build());
    }

    public MailMessage parse(InputStream raw, Instant time, String envelopeFrom, List<String> envelopeTo, String client)
            throws IOException, MalformedMailException {
        Message m;
        try {
            m = builder.parseMessage(raw);
        } catch (MimeIOException e) {
            throw new MalformedMailException("not a readable message: " + e.getMessage());
        }
        try {
            String fromAddress = null;
            String fromName = null;
            MailboxList from = m.getFrom();
            if (from != null && !from.isEmpty()) {
                Mailbox mb = from.get(0);
                fromAddress = mb.getAddress();
                fromName = mb.getName();
            }
            List<String> recipients = new ArrayList<>(envelopeTo == null ? List.of() : envelopeTo);
            if (recipients.isEmpty()) {
                addAll(recipients, m.getTo());
                addAll(recipients, m.getCc());
            }
            List<MailMessage.Attachment> attachments = new ArrayList<>();
            int[] parts = {0};
            walk(m, 0, attachments, parts);
            return new MailMessage(
                    time,
                    fromAddress,
                    fromName,
                    m.getMessageId(),
                    envelopeFrom,
                    recipients,
                    attachments,
                    client,
                    "smtp",
                    null);
        } finally {
            m.dispose();
        }
    }

    private static void addAll(List<String> out, AddressList list) {
        if (list == null) {
            return;
        }
        for (Address a : list) {
            if (a instanceof Mailbox mb) {
                out.add(mb.getAddress());
            }
        }
    }

    private void walk(Entity e, int depth, List<MailMessage.Attachment> out, int[] parts) throws IOException {
        if (depth > MAX_DEPTH || ++parts[0] > MAX_PARTS) {
            return;
        }
        Body body = e.getBody();
        if (body instanceof Multipart mp) {
            for (Entity part : mp.getBodyParts()) {
                walk(part, depth + 1, out, parts);
            }
            return;
        }
        if (body instanceof Message nested) {
            walk(nested, depth + 1, out, parts);
            return;
        }
        String type = e.getMimeType() == null ? "" : e.getMimeType().toLowerCase(Locale.ROOT);
        String name = name(e);
        if (name != null || Executables.isExecutableType(type)) {
            out.add(new MailMessage.Attachment(name, type, null));
        }
        boolean zip = type.equals("application/zip")
                || type.equals("application/x-zip-compressed")
                || (name != null && name.toLowerCase(Locale.ROOT).endsWith(".zip"));
        if (zip && body instanceof SingleBody single) {
            try (ZipInputStream z = new ZipInputStream(single.getInputStream())) {
                int n = 0;
                long inflated = 0;
                byte[] skip = new byte[8192];
                for (ZipEntry entry = z.getNextEntry();
                        entry != null && n < MAX_ZIP_ENTRIES;
                        entry = z.getNextEntry()) {
                    if (!entry.isDirectory()) {
                        out.add(new MailMessage.Attachment(entry.getName(), "", name == null ? "(zip)" : name));
                    }
                    n++;
                    for (int r = z.read(skip); r > 0 && inflated <= MAX_ZIP_INFLATED; r = z.read(skip)) {
                        inflated += r;
                    }
                    if (inflated > MAX_ZIP_INFLATED) {
                        break;
                    }
                }
            } catch (IOException | IllegalArgumentException broken) {
                // a damaged or encrypted archive: its own name is still checked
            }
        }
    }

    /** Content-Disposition filename (mime4j decodes 2047/2231), else Content-Type name (2231 here). */
    private static String name(Entity e) {
        String filename = e.getFilename();
        if (filename != null && !filename.isBlank()) {
            return filename;
        }
        if (e.getHeader() != null && e.getHeader().getField("Content-Type") instanceof ContentTypeField ct) {
            String n = Rfc2231.parameter(ct.getParameters(), "name");
            if (n != null && !n.isBlank()) {
                return DecoderUtil.decodeEncodedWords(n, DecodeMonitor.SILENT);
            }
        }
        return null;
    }
}
