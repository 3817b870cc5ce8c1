package dev.mamori.protocols.icap;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes ICAP requests: the ICAP head (up to {@code maxHead} bytes), the encapsulated header
 * sections named by {@code Encapsulated} (up to {@code maxEncapsulated}), then the chunked body,
 * passed on chunk by chunk without buffering. A preview ends with a zero chunk (with {@code ieof}
 * when the body is complete); the handler answers it finally and calls {@link #nextRequest()}.
 * Bytes may arrive split anywhere.
 *
 * <p>States: {@link State#HEAD} -> {@link State#ENCAPSULATED} -> ({@link State#CHUNK_SIZE} ->
 * {@link State#CHUNK_DATA} -> {@link State#CHUNK_END})* -> {@link State#TRAILER} -> HEAD, or
 * {@link State#AWAIT_DECISION} after a preview; {@link State#BAD} after a refusal.
 */
public final class IcapRequestDecoder extends ByteToMessageDecoder {

    enum State {
        HEAD,
        ENCAPSULATED,
        CHUNK_SIZE,
        CHUNK_DATA,
        CHUNK_END,
        TRAILER,
        AWAIT_DECISION,
        BAD
    }

    private static final int MAX_CHUNK_LINE = 1024;
    private final int maxHead;
    private final int maxEncapsulated;
    private State state = State.HEAD;
    private IcapRequest pendingHead;
    /** The current request's sections; for OPTIONS without Encapsulated, {@link EncapsulatedSections#NONE}. */
    private EncapsulatedSections sections = EncapsulatedSections.NONE;

    private boolean inPreview;
    private boolean lastZeroIeof;
    private long chunkRemaining;

    public IcapRequestDecoder(int maxHead, int maxEncapsulated) {
        this.maxHead = maxHead;
        this.maxEncapsulated = maxEncapsulated;
    }

    /** The handler gave its final answer to a preview: the next bytes are a new request. */
    public void nextRequest() {
        if (state == State.AWAIT_DECISION) {
            state = State.HEAD;
        }
    }

    State state() {
        return state;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            switch (state) {
                case HEAD -> {
                    if (!head(in, out)) {
                        return;
                    }
                }
                case ENCAPSULATED -> {
                    if (in.readableBytes() < sections.length()) {
                        return;
                    }
                    encapsulated(in, out);
                }
                case CHUNK_SIZE -> {
                    if (!chunkSize(in, out)) {
                        return;
                    }
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(chunkRemaining, in.readableBytes());
                    out.add(new IcapMessage.BodyChunk(in.readRetainedSlice(n)));
                    chunkRemaining -= n;
                    if (chunkRemaining == 0) {
                        state = State.CHUNK_END;
                    }
                }
                case CHUNK_END -> {
                    if (in.readableBytes() < 2) {
                        return;
                    }
                    if (in.readByte() != '\r' || in.readByte() != '\n') {
                        bad(in, out, 400, "chunk data not followed by CRLF");
                        return;
                    }
                    state = State.CHUNK_SIZE;
                }
                case TRAILER -> {
                    if (!trailer(in, out)) {
                        return;
                    }
                }
                case AWAIT_DECISION -> {
                    return; // the client waits for our answer before sending more
                }
                case BAD -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
            }
        }
    }

    private boolean head(ByteBuf in, List<Object> out) {
        int end = headEnd(in, Math.min(in.readableBytes(), maxHead + 4));
        if (end < 0) {
            if (in.readableBytes() > maxHead) {
                bad(in, out, 413, "ICAP header larger than " + maxHead + " bytes");
            }
            return false;
        }
        String text = in.toString(in.readerIndex(), end, StandardCharsets.ISO_8859_1);
        in.skipBytes(end + 4);
        HeadLines lines = new HeadLines(text, false);
        lines.next();
        String requestLine = lines.line();
        String[] start = requestLine(requestLine);
        if (start == null) {
            bad(in, out, 400, "not an ICAP/1.0 request line: '" + printable(requestLine) + "'");
            return true;
        }
        Map<String, List<String>> headers = new HashMap<>();
        while (lines.next()) {
            if (!lines.addHeaderTo(headers)) {
                bad(in, out, 400, "malformed header line: '" + printable(lines.line()) + "'");
                return true;
            }
        }
        String method = start[0];
        String uri = start[1];
        String service = servicePath(uri);
        if (service == null) {
            bad(in, out, 400, "not an icap:// URI: '" + printable(uri) + "'");
            return true;
        }
        List<String> enc = headers.get("encapsulated");
        String encapsulated = enc == null ? null : enc.get(0);
        int preview = -1;
        if (headers.containsKey("preview")) {
            try {
                preview = Integer.parseInt(headers.get("preview").get(0).strip());
            } catch (NumberFormatException e) {
                bad(in, out, 400, "Preview is not a number");
                return true;
            }
        }
        if (encapsulated == null) {
            if (!method.equals("OPTIONS")) {
                bad(in, out, 400, method + " without an Encapsulated header");
                return true;
            }
            sections = EncapsulatedSections.NONE;
        } else {
            sections = EncapsulatedSections.parse(encapsulated);
            if (sections == null) {
                bad(in, out, 400, "malformed Encapsulated header: '" + printable(encapsulated) + "'");
                return true;
            }
            if (sections.length() > maxEncapsulated) {
                bad(in, out, 413, "encapsulated headers larger than " + maxEncapsulated + " bytes");
                return true;
            }
        }
        boolean body = sections.body();
        pendingHead = new IcapRequest(method, uri, service, headers, encapsulated, null, null, body, preview);
        inPreview = body && preview >= 0;
        state = State.ENCAPSULATED;
        if (sections.length() == 0) {
            encapsulated(in, out); // nothing more to wait for (OPTIONS, null-body=0)
        }
        return true;
    }

    private static final String VERSION = "ICAP/1.0";

    /**
     * The method and URI of {@code Method SP URI SP ICAP/1.0} (trailing spaces tolerated), or null:
     * what {@code line.split(" ")} gave with three parts, found without a regular expression's
     * array and list.
     */
    static String[] requestLine(String line) {
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 < 0 || sp2 < 0 || sp2 >= end) { // an empty method or URI is refused as not icap:// later
            return null;
        }
        if (end - sp2 - 1 != VERSION.length() || !line.startsWith(VERSION, sp2 + 1)) {
            return null;
        }
        return new String[] {line.substring(0, sp1), line.substring(sp1 + 1, sp2)};
    }

    private void encapsulated(ByteBuf in, List<Object> out) {
        byte[] headers = new byte[sections.length()];
        in.readBytes(headers);
        HttpHead http = null;
        if (sections.reqHdrStart() >= 0) {
            int end = sections.reqHdrEnd() >= 0 ? sections.reqHdrEnd() : headers.length;
            http = HttpHead.parseRequest(headers, sections.reqHdrStart(), end);
            if (http == null) {
                bad(in, out, 400, "encapsulated HTTP request head is malformed");
                return;
            }
        }
        IcapRequest h = pendingHead;
        out.add(new IcapRequest(
                h.method(), h.uri(), h.service(), h.headers(), h.encapsulated(), headers, http, h.body(), h.preview()));
        pendingHead = null;
        state = sections.body() ? State.CHUNK_SIZE : State.HEAD;
    }

    /**
     * Where the blank line ending a head starts, counted from the reader index within {@code limit}
     * bytes, or -1. Line feeds are looked for with ByteBuf's own byte search: the general pattern
     * search cost half of what decoding a request took.
     */
    static int headEnd(ByteBuf in, int limit) {
        int start = in.readerIndex();
        int from = start;
        int to = start + limit;
        while (from < to) {
            int lf = in.indexOf(from, to, (byte) '\n');
            if (lf < 0) {
                return -1;
            }
            if (lf - 3 >= start
                    && in.getByte(lf - 1) == '\r'
                    && in.getByte(lf - 2) == '\n'
                    && in.getByte(lf - 3) == '\r') {
                return lf - 3 - start;
            }
            from = lf + 1;
        }
        return -1;
    }

    private boolean chunkSize(ByteBuf in, List<Object> out) {
        int eol = in.indexOf(
                in.readerIndex(), in.readerIndex() + Math.min(in.readableBytes(), MAX_CHUNK_LINE), (byte) '\n');
        if (eol < 0) {
            if (in.readableBytes() >= MAX_CHUNK_LINE) {
                bad(in, out, 400, "chunk size line too long");
            }
            return false;
        }
        String line = in.toString(in.readerIndex(), eol - in.readerIndex(), StandardCharsets.ISO_8859_1)
                .strip();
        in.readerIndex(eol + 1);
        int semi = line.indexOf(';');
        String size = (semi >= 0 ? line.substring(0, semi) : line).strip();
        boolean ieof =
                semi >= 0 && line.substring(semi + 1).toLowerCase(Locale.ROOT).contains("ieof");
        long n;
        try {
            n = Long.parseLong(size, 16);
        } catch (NumberFormatException e) {
            bad(in, out, 400, "bad chunk size '" + printable(size) + "'");
            return true;
        }
        if (n < 0) {
            bad(in, out, 400, "negative chunk size");
            return true;
        }
        if (n == 0) {
            lastZeroIeof = ieof;
            state = State.TRAILER;
        } else {
            chunkRemaining = n;
            state = State.CHUNK_DATA;
        }
        return true;
    }

    /** Reads the (normally empty) trailer after the zero chunk, then reports the end. */
    private boolean trailer(ByteBuf in, List<Object> out) {
        int eol = in.indexOf(in.readerIndex(), in.readerIndex() + Math.min(in.readableBytes(), maxHead), (byte) '\n');
        if (eol < 0) {
            if (in.readableBytes() >= maxHead) {
                bad(in, out, 413, "chunk trailer too long");
            }
            return false;
        }
        boolean empty =
                eol == in.readerIndex() || (eol == in.readerIndex() + 1 && in.getByte(in.readerIndex()) == '\r');
        in.readerIndex(eol + 1);
        if (!empty) {
            return true; // a trailer header: skip it
        }
        boolean preview = inPreview;
        out.add(new IcapMessage.BodyEnd(preview, lastZeroIeof));
        state = preview && !lastZeroIeof ? State.AWAIT_DECISION : State.HEAD;
        inPreview = false;
        return true;
    }

    private void bad(ByteBuf in, List<Object> out, int status, String reason) {
        in.skipBytes(in.readableBytes());
        out.add(new IcapMessage.Bad(status, reason));
        state = State.BAD;
    }

    /** The path of {@code icap://host[:port]/path[?query]}. */
    static String servicePath(String uri) {
        if (!uri.regionMatches(true, 0, "icap://", 0, 7)) {
            return null;
        }
        int slash = uri.indexOf('/', 7);
        if (slash < 0) {
            return "/";
        }
        int q = uri.indexOf('?', slash);
        return q < 0 ? uri.substring(slash) : uri.substring(slash, q);
    }

    private static String printable(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        StringBuilder b = new StringBuilder(t.length());
        for (char c : t.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
