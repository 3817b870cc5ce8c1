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
    /** Answers MAIL and RCPT only once DATA has arrived: only a client that pipelines up to DATA gets through. */
    volatile boolean repliesWaitForData;
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
            StringBuilder held = new StringBuilder();
            int accepted = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                commands.add(line);
                String verb = line.split(" ", 2)[0].toUpperCase();
                if (!offersPipelining && in.ready()) {
                    pipelinedUnoffered = true;
                }
                if (repliesWaitForData && (verb.equals("MAIL") || verb.equals("RCPT"))) {
                    accepted = verb.equals("MAIL") ? 0 : accepted + 1;
                    held.append(verb.equals("MAIL") ? "250 2.0.0 Ok" : "250 2.1.5 Ok")
                            .append("\r\n");
                    continue;
                }
                if (!held.isEmpty()) {
                    out.write(held.toString().getBytes(StandardCharsets.UTF_8)); // sent with the next answer
                    held.setLength(0);
                }
                switch (verb) {
                    case "EHLO" ->
                        send(
                                out,
                                "250-next.test\r\n" + (offersPipelining ? "250-PIPELINING\r\n" : "")
                                        + "250-XFORWARD NAME ADDR PROTO HELO\r\n250 8BITMIME");
                    case "RCPT" -> {
                        String reply = line.toLowerCase().contains("<nobody")
                                ? "550 5.1.1 No such user"
                                : line.toLowerCase().contains("<later") ? "450 4.2.1 Mailbox busy" : "250 2.1.5 Ok";
                        accepted += reply.startsWith("250") ? 1 : 0;
                        send(out, reply);
                    }
                    case "MAIL", "RSET" -> {
                        accepted = 0;
                        send(out, "250 2.0.0 Ok");
                    }
                    case "DATA" -> {
                        if (accepted == 0) {
                            send(out, "554 5.5.1 Error: no valid recipients");
                            continue;
                        }
                        accepted = 0;
                        send(out, "354 go ahead");
                        if (dataFate == DataFate.DIE_MID_DATA) {
                            in.readLine();
                            s.setSoLinger(true, 0); // a crash: the connection is reset mid-message
                            return;
                        }
                        StringBuilder m = new StringBuilder();
                        String d = in.readLine();
                        for (; d != null && !d.equals("."); d = in.readLine()) {
                            m.append(d).append('\n');
                        }
                        if (d == null) {
                            return; // the client went away mid-message: nothing is queued
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
