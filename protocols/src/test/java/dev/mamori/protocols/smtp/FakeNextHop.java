package dev.mamori.protocols.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted next hop for relay tests: offers XFORWARD, refuses recipients starting with "nobody",
 * defers those starting with "later", and records every command and message it receives.
 */
final class FakeNextHop implements AutoCloseable {

    final ServerSocket server;
    final List<String> commands = new CopyOnWriteArrayList<>();
    final List<String> messages = new CopyOnWriteArrayList<>();
    volatile String dataReply = "250 2.0.0 Ok: queued";
    /** What the hop does with a message: reply, die while it arrives, or die after it before replying. */
    enum DataFate {
        REPLY,
        DIE_MID_DATA,
        DIE_BEFORE_REPLY
    }

    volatile DataFate dataFate = DataFate.REPLY;
    /** Whether EHLO announces PIPELINING. */
    volatile boolean offersPipelining = true;
    /** Answers a MAIL only once the RCPT after it has arrived: only a pipelining client gets through. */
    volatile boolean mailAnswerWaitsForRcpt;
    /** Accepts connections and never says a word. */
    volatile boolean mute;
    /** A command arrived before the answer to the one before it was sent, though PIPELINING was not offered. */
    volatile boolean pipelinedUnoffered;

    final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    FakeNextHop() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::serve, "fake-next-hop");
        t.setDaemon(true);
        t.start();
    }

    /** Closes every connection, as a next hop does with idle clients. */
    void dropAll() throws IOException {
        for (Socket s : open) {
            s.close();
        }
        open.clear();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                open.add(s);
                Thread t = new Thread(() -> session(s));
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void session(Socket s) {
        try (s;
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = s.getOutputStream()) {
            if (mute) {
                in.read();
                return;
            }
            send(out, "220 next.test ESMTP");
            String heldMail = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                commands.add(line);
                String verb = line.split(" ", 2)[0].toUpperCase();
                if (!offersPipelining && in.ready()) {
                    pipelinedUnoffered = true;
                }
                if (verb.equals("MAIL") && mailAnswerWaitsForRcpt) {
                    heldMail = "250 2.0.0 Ok";
                    continue;
                }
                if (heldMail != null) {
                    send(out, heldMail);
                    heldMail = null;
                }
                switch (verb) {
                    case "EHLO" ->
                        send(
                                out,
                                "250-next.test\r\n" + (offersPipelining ? "250-PIPELINING\r\n" : "")
                                        + "250-XFORWARD NAME ADDR PROTO HELO\r\n250 8BITMIME");
                    case "RCPT" ->
                        send(
                                out,
                                line.toLowerCase().contains("<nobody")
                                        ? "550 5.1.1 No such user"
                                        : line.toLowerCase().contains("<later")
                                                ? "450 4.2.1 Mailbox busy"
                                                : "250 2.1.5 Ok");
                    case "DATA" -> {
                        send(out, "354 go ahead");
                        if (dataFate == DataFate.DIE_MID_DATA) {
                            in.readLine();
                            s.setSoLinger(true, 0); // a crash: the connection is reset mid-message
                            return;
                        }
                        StringBuilder m = new StringBuilder();
                        for (String d = in.readLine(); d != null && !d.equals("."); d = in.readLine()) {
                            m.append(d).append('\n');
                        }
                        if (dataFate == DataFate.DIE_BEFORE_REPLY) {
                            s.setSoLinger(true, 0);
                            return; // took the whole message, died before saying whether it queued it
                        }
                        messages.add(m.toString());
                        send(out, dataReply);
                    }
                    case "QUIT" -> {
                        send(out, "221 Bye");
                        return;
                    }
                    default -> send(out, "250 2.0.0 Ok");
                }
            }
        } catch (IOException ignored) {
            // the relay went away
        }
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
