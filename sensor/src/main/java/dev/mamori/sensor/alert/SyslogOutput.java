package dev.mamori.sensor.alert;

import dev.mamori.detectors.alert.Alert;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Forwards alerts to a SIEM as RFC 5424 syslog: over UDP (one alert per datagram), TCP or TLS
 * (octet-counted framing, RFC 6587 / RFC 5425). The MSG is the alert as JSON or as CEF; MSGID is the
 * rule id; the syslog severity follows the alert's (critical 2, high 3, medium 4, low 5). Runs on its
 * output's writer thread: a lost connection is re-opened once per alert before the alert counts as a
 * write error.
 */
public final class SyslogOutput implements AlertOutput {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);
    private static final int LOCAL0 = 16;

    /** How to connect and what to send. */
    public record Settings(
            String host,
            int port,
            String protocol,
            String format,
            SSLSocketFactory tls,
            String hostname,
            String version) {}

    private final Settings s;
    private DatagramSocket udp;
    private Socket stream;
    private OutputStream out;

    public SyslogOutput(Settings settings) {
        this.s = settings;
    }

    @Override
    public String name() {
        return "syslog";
    }

    /** The RFC 5424 message for one alert. */
    String message(Alert a) {
        int severity = switch (a.severity()) {
            case CRITICAL -> 2;
            case HIGH -> 3;
            case MEDIUM -> 4;
            case LOW -> 5;
        };
        String body = s.format().equals("cef") ? CefFormat.format(a, s.version()) : AlertJson.toJson(a);
        return "<" + (LOCAL0 * 8 + severity) + ">1 " + TIME.format(a.timestamp()) + " " + s.hostname() + " mamori - "
                + a.ruleId() + " - " + body;
    }

    @Override
    public void write(Alert alert) throws IOException {
        byte[] msg = message(alert).getBytes(StandardCharsets.UTF_8);
        if (s.protocol().equals("udp")) {
            if (udp == null) {
                udp = new DatagramSocket();
            }
            udp.send(new DatagramPacket(msg, msg.length, InetAddress.getByName(s.host()), s.port()));
            return;
        }
        byte[] frame = (msg.length + " ").getBytes(StandardCharsets.US_ASCII);
        try {
            send(frame, msg);
        } catch (IOException first) {
            closeStream();
            send(frame, msg); // one reconnect: a SIEM restart should not cost an alert
        }
    }

    private void send(byte[] frame, byte[] msg) throws IOException {
        if (out == null) {
            Socket socket = s.tls() != null ? s.tls().createSocket() : new Socket();
            socket.connect(new InetSocketAddress(s.host(), s.port()), 5000);
            socket.setSoTimeout(10_000);
            if (socket instanceof SSLSocket ssl) {
                ssl.startHandshake();
            }
            stream = socket;
            out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        }
        out.write(frame);
        out.write(msg);
    }

    @Override
    public void flush() throws IOException {
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                closeStream();
                throw e;
            }
        }
    }

    /**
     * TCP syslog has no acknowledgement: a receiver that closed its end (a SIEM restart) is only
     * noticed as end-of-stream on the connection. Looks for it without waiting.
     */
    @Override
    public void confirm() throws IOException {
        if (stream == null) {
            return;
        }
        int timeout = stream.getSoTimeout();
        try {
            stream.setSoTimeout(1);
            if (stream.getInputStream().read() < 0) {
                closeStream();
                throw new IOException("the receiver closed the connection");
            }
        } catch (SocketTimeoutException alive) {
            // nothing to read and not closed: the receiver is there
        } catch (IOException e) {
            closeStream();
            throw e;
        } finally {
            if (stream != null) {
                stream.setSoTimeout(timeout);
            }
        }
    }

    private void closeStream() {
        try {
            if (stream != null) {
                stream.close();
            }
        } catch (IOException ignored) {
            // already broken
        }
        stream = null;
        out = null;
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            closeStream();
            if (udp != null) {
                udp.close();
            }
        }
    }
}
