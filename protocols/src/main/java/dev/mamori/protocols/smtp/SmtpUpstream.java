package dev.mamori.protocols.smtp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The client leg of the relay: one connection to the next hop, kept across messages (RSET between
 * them). Blocking, so it runs on the relay's worker threads, never on an event loop. A reply is read
 * whole, multi-line continuations included.
 */
public final class SmtpUpstream implements Closeable {

    /** One SMTP reply: the code and its text lines. */
    public record Reply(int code, List<String> lines) {
        public Reply {
            lines = List.copyOf(lines);
        }

        public boolean positive() {
            return code >= 200 && code < 400;
        }

        /** The reply as wire text (CRLF-terminated lines with "-" continuations). */
        public String wire() {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                b.append(code)
                        .append(i + 1 < lines.size() ? '-' : ' ')
                        .append(lines.get(i))
                        .append("\r\n");
            }
            return b.toString();
        }
    }

    private static final int MAX_REPLY_LINE = 4096;
    private static final int MAX_REPLY_LINES = 100;

    private final String host;
    private final int port;
    private final Duration timeout;
    private final String helo;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final Set<String> extensions = new HashSet<>();
    private long lastUsed = System.nanoTime();

    public SmtpUpstream(String host, int port, Duration timeout, String helo) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
        this.helo = helo;
    }

    public boolean connected() {
        return socket != null && !socket.isClosed();
    }

    /** How long since the last reply was read. */
    public Duration idleFor() {
        return Duration.ofNanos(System.nanoTime() - lastUsed);
    }

    /** Connects, reads the greeting and says EHLO (HELO if EHLO is refused); the greeting if it failed. */
    public Reply open() throws IOException {
        close();
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), (int) Math.min(timeout.toMillis(), 30_000));
        s.setSoTimeout((int) timeout.toMillis());
        s.setTcpNoDelay(true);
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
        Reply greeting = read();
        if (!greeting.positive()) {
            close();
            return greeting;
        }
        Reply ehlo = command("EHLO " + helo);
        if (!ehlo.positive()) {
            ehlo = command("HELO " + helo);
        }
        extensions.clear();
        for (int i = 1; i < ehlo.lines().size(); i++) {
            extensions.add(ehlo.lines().get(i).split(" ", 2)[0].toUpperCase(Locale.ROOT));
        }
        if (!ehlo.positive()) {
            close();
        }
        return ehlo;
    }

    /** Whether the next hop announced {@code extension} (e.g. XFORWARD, SIZE, SMTPUTF8). */
    public boolean offers(String extension) {
        return extensions.contains(extension.toUpperCase(Locale.ROOT));
    }

    public Reply command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return read();
    }

    /** DATA, then the message dot-stuffed and terminated; the next hop's final reply. */
    public Reply data(byte[] message) throws IOException {
        Reply go = command("DATA");
        if (go.code() != 354) {
            return go;
        }
        // dot-stuffing: a dot opening a line is doubled; everything else goes out in runs
        int from = 0;
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '.' && (i == 0 || message[i - 1] == '\n')) {
                out.write(message, from, i - from);
                out.write('.');
                from = i;
            }
        }
        out.write(message, from, message.length - from);
        boolean lineStart = message.length == 0 || message[message.length - 1] == '\n';
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return read();
    }

    private Reply read() throws IOException {
        lastUsed = System.nanoTime();
        List<String> lines = new ArrayList<>();
        int code = -1;
        while (lines.size() < MAX_REPLY_LINES) {
            String line = line();
            if (line.length() < 3) {
                throw new IOException("malformed reply from the next hop: '" + line + "'");
            }
            int c;
            try {
                c = Integer.parseInt(line.substring(0, 3));
            } catch (NumberFormatException e) {
                throw new IOException("malformed reply from the next hop: '" + line + "'");
            }
            code = c;
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) != '-') {
                return new Reply(code, lines);
            }
        }
        throw new IOException("reply from the next hop longer than " + MAX_REPLY_LINES + " lines");
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the next hop closed the connection");
            }
            if (c == '\n') {
                break;
            }
            if (c != '\r' && b.size() < MAX_REPLY_LINE) {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /** QUIT (best effort) and close. */
    public void quit() {
        if (connected()) {
            try {
                command("QUIT");
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        close();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to release
            }
        }
        socket = null;
    }
}
