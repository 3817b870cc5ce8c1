package dev.mamori.protocols.icap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** The ICAP replies, written as bytes (RFC 3507 section 4.3 and the shapes Squid expects). */
final class IcapResponses {

    private static final String SERVER = "Mamori-ICAP";

    private IcapResponses() {}

    static ByteBuf options(ByteBufAllocator alloc, String methods, String istag, int maxConnections, boolean close) {
        return text(
                alloc,
                "ICAP/1.0 200 OK\r\n"
                        + "Methods: " + methods + "\r\n"
                        + "Service: Mamori security-log sensor\r\n"
                        + "ISTag: \"" + istag + "\"\r\n"
                        + "Max-Connections: " + maxConnections + "\r\n"
                        + "Options-TTL: 300\r\n"
                        + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC))
                        + "\r\n"
                        // The verdict needs the HTTP head only: a zero preview lets the proxy skip sending bodies.
                        + "Preview: 0\r\n"
                        + "Transfer-Preview: *\r\n"
                        + "Allow: 204\r\n"
                        + "Encapsulated: null-body=0\r\n"
                        + connection(close)
                        + "\r\n");
    }

    /**
     * The 204, the answer to almost every request: the same bytes for as long as the ISTag stays,
     * so they are made once (for the last ISTag asked for) and every answer writes a view of them
     * instead of formatting and copying its own.
     */
    static ByteBuf noContent(String istag, boolean close) {
        NoContent n = noContent;
        if (n == null || !n.istag().equals(istag)) {
            n = new NoContent(istag, shared(noContentText(istag, false)), shared(noContentText(istag, true)));
            noContent = n;
        }
        return (close ? n.close() : n.keepAlive()).duplicate();
    }

    static String noContentText(String istag, boolean close) {
        return "ICAP/1.0 204 No Content\r\nServer: " + SERVER + "\r\nISTag: \"" + istag + "\"\r\n" + connection(close)
                + "\r\n";
    }

    private record NoContent(String istag, ByteBuf keepAlive, ByteBuf close) {}

    private static volatile NoContent noContent;

    /**
     * Bytes every connection may write at once: direct (written without a copy), never released by
     * a write (each gets a duplicate), freed by the collector when no answer refers to them.
     */
    private static ByteBuf shared(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(
                ByteBuffer.allocateDirect(b.length).put(b).flip()));
    }

    /** The request echoed unchanged: same Encapsulated layout, same header bytes; body chunks follow. */
    static ByteBuf echoHead(ByteBufAllocator alloc, IcapRequest r, String istag, boolean close) {
        ByteBuf b = text(
                alloc,
                "ICAP/1.0 200 OK\r\nServer: " + SERVER + "\r\nISTag: \"" + istag + "\"\r\n" + "Encapsulated: "
                        + r.encapsulated() + "\r\n" + connection(close) + "\r\n");
        b.writeBytes(r.encapsulatedHeaders());
        return b;
    }

    static ByteBuf chunk(ByteBufAllocator alloc, ByteBuf data) {
        ByteBuf b = alloc.buffer(data.readableBytes() + 16);
        b.writeCharSequence(Integer.toHexString(data.readableBytes()) + "\r\n", StandardCharsets.US_ASCII);
        b.writeBytes(data, data.readerIndex(), data.readableBytes());
        b.writeCharSequence("\r\n", StandardCharsets.US_ASCII);
        return b;
    }

    static ByteBuf lastChunk(ByteBufAllocator alloc) {
        return text(alloc, "0\r\n\r\n");
    }

    /** A block: an HTTP 403 page, encapsulated as the response the proxy gives the browser. */
    static ByteBuf blocked(ByteBufAllocator alloc, String istag, String rule, String reason, boolean close) {
        String html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Blocked by Mamori</title></head>"
                + "<body><h1>Access blocked</h1><p>" + escape(reason) + "</p><p>Rule: <code>" + escape(rule)
                + "</code></p><p>Contact your security team if this is a business need.</p></body></html>\n";
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        String http =
                "HTTP/1.1 403 Forbidden\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + body.length
                        + "\r\nCache-Control: no-store\r\nX-Mamori-Rule: " + rule + "\r\nConnection: close\r\n\r\n";
        byte[] head = http.getBytes(StandardCharsets.US_ASCII);
        ByteBuf b = text(
                alloc,
                "ICAP/1.0 200 OK\r\nServer: " + SERVER + "\r\nISTag: \"" + istag + "\"\r\n"
                        + "Encapsulated: res-hdr=0, res-body=" + head.length + "\r\n" + connection(close) + "\r\n");
        b.writeBytes(head);
        b.writeCharSequence(Integer.toHexString(body.length) + "\r\n", StandardCharsets.US_ASCII);
        b.writeBytes(body);
        b.writeCharSequence("\r\n0\r\n\r\n", StandardCharsets.US_ASCII);
        return b;
    }

    /** The answer to a client not in allowed_clients, sent before it asks anything; then the connection closes. */
    static final String FORBIDDEN = "ICAP/1.0 403 Forbidden\r\nServer: " + SERVER
            + "\r\nEncapsulated: null-body=0\r\nConnection: close\r\n\r\n";

    static ByteBuf error(ByteBufAllocator alloc, int status, String istag) {
        String reason = switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "ICAP Service Not Found";
            case 405 -> "Method Not Allowed For Service";
            case 413 -> "Request Entity Too Large";
            default -> "Server Error";
        };
        return text(
                alloc,
                "ICAP/1.0 " + status + " " + reason + "\r\nServer: " + SERVER + "\r\nISTag: \"" + istag
                        + "\"\r\nEncapsulated: null-body=0\r\nConnection: close\r\n\r\n");
    }

    private static String connection(boolean close) {
        return close ? "Connection: close\r\n" : "";
    }

    private static ByteBuf text(ByteBufAllocator alloc, String s) {
        ByteBuf b = alloc.buffer(s.length() + 64);
        b.writeCharSequence(s, StandardCharsets.ISO_8859_1);
        return b;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
