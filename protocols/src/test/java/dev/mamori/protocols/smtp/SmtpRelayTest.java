package dev.mamori.protocols.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.protocols.transport.EventLoops;
import dev.mamori.protocols.transport.TestCertificates;
import dev.mamori.protocols.transport.TlsContexts;
import io.netty.handler.ssl.SslContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay against a scripted next hop, over real sockets. */
class SmtpRelayTest {

    private static final EventLoops LOOPS = new EventLoops(1);

    @AfterAll
    static void shutdown() {
        LOOPS.close();
    }

    /** Rejects messages whose body mentions "malware"; tags the rest. */
    static final class Service implements SmtpService {
        final List<String> outcomes = new ArrayList<>();
        /** Messages mentioning "hold" wait here while inspected. */
        final CountDownLatch held = new CountDownLatch(1);

        final CountDownLatch holding = new CountDownLatch(1);

        @Override
        public Verdict inspect(Envelope envelope, byte[] message) {
            String text = new String(message, StandardCharsets.UTF_8);
            if (text.contains("hold")) {
                holding.countDown();
                try {
                    held.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (text.contains("malware")) {
                return new Reject("554 5.7.1 Rejected by Mamori: mail.executable_attachment");
            }
            return new Relay(("X-Mamori-Checked: yes\r\n" + text).getBytes(StandardCharsets.UTF_8), "tagged");
        }

        @Override
        public synchronized void outcome(String verdict) {
            outcomes.add(verdict);
        }
    }

    private static SmtpServer server(int nextHop, Service service) throws Exception {
        return server(nextHop, service, null);
    }

    private static SmtpServer server(int nextHop, Service service, SslContext tls) throws Exception {
        return server(nextHop, service, tls, 10_000_000);
    }

    private static SmtpServer server(int nextHop, Service service, SslContext tls, long maxBuffered) throws Exception {
        return server(nextHop, service, tls, maxBuffered, Duration.ofSeconds(10));
    }

    private static SmtpServer server(
            int nextHop, Service service, SslContext tls, long maxBuffered, Duration nextHopTimeout) throws Exception {
        return SmtpServer.start(
                new SmtpServer.Settings(
                        "127.0.0.1",
                        0,
                        10,
                        Duration.ofMinutes(1),
                        4,
                        new SmtpSession.Settings("mamori.test", 1_000_000, 5, "127.0.0.1", nextHop, nextHopTimeout),
                        tls,
                        maxBuffered),
                LOOPS,
                service);
    }

    /** Sends the lines as one write and reads until {@code replies} final reply lines arrived. */
    private static List<String> converse(BufferedReader in, OutputStream out, String batch, int replies)
            throws Exception {
        out.write(batch.getBytes(StandardCharsets.UTF_8));
        out.flush();
        List<String> got = new ArrayList<>();
        while (got.size() < replies) {
            String line = in.readLine();
            assertThat(line).as("reply after " + got).isNotNull();
            if (line.length() < 4 || line.charAt(3) != '-') {
                got.add(line);
            }
        }
        return got;
    }

    private static BufferedReader reader(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Sends EHLO and returns every line of the multi-line answer. */
    private static List<String> ehlo(BufferedReader in, OutputStream out) throws Exception {
        out.write("EHLO a\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        List<String> lines = new ArrayList<>();
        for (String l = in.readLine(); l != null; l = l.charAt(3) == '-' ? in.readLine() : null) {
            lines.add(l);
        }
        return lines;
    }

    @Test
    void pipelinedTransactionIsRelayedWithXforwardAndPerRecipientAnswers() throws Exception {
        Service service = new Service();
        try (FakeNextHop hop = new FakeNextHop();
                SmtpServer smtp = server(hop.port(), service);
                Socket s = new Socket("127.0.0.1", smtp.bound().port())) {
            BufferedReader in = reader(s);
            OutputStream out = s.getOutputStream();
            assertThat(in.readLine()).startsWith("220 mamori.test");
            assertThat(converse(in, out, "ehlo mta.test\r\n", 1))
                    .containsExactly("250 XFORWARD NAME ADDR PROTO HELO SOURCE PORT IDENT");
            List<String> batch = converse(
                    in,
                    out,
                    "XFORWARD NAME=localhost ADDR=127.0.0.1\r\n"
                            + "mail from:<a@sender.test> SIZE=100\r\nrcpt to:<bob@rcpt.test>\r\nrcpt to:<nobody@rcpt.test>\r\n"
                            + "DATA\r\n",
                    5);
            assertThat(batch)
                    .containsExactly(
                            "250 2.0.0 Ok",
                            "250 2.0.0 Ok",
                            "250 2.1.5 Ok",
                            "550 5.1.1 No such user",
                            "354 End data with <CR><LF>.<CR><LF>");
            assertThat(converse(in, out, "Subject: hi\r\n\r\n..leading dot\r\nbody\r\n.\r\nQUIT\r\n", 2))
                    .containsExactly("250 2.0.0 Ok: queued", "221 2.0.0 Bye");
            assertThat(hop.commands)
                    .contains(
                            "XFORWARD NAME=localhost ADDR=127.0.0.1",
                            "MAIL from:<a@sender.test> SIZE=100",
                            "RCPT to:<bob@rcpt.test>");
            assertThat(hop.messages)
                    .singleElement()
                    .satisfies(m ->
                            assertThat(m).isEqualTo("X-Mamori-Checked: yes\nSubject: hi\n\n..leading dot\nbody\n"));
            assertThat(service.outcomes).containsExactly("tagged");
        }
    }

    @Test
    void rejectedMessagesAreNotRelayedAndTheSessionGoesOn() throws Exception {
        Service service = new Service();
        try (FakeNextHop hop = new FakeNextHop();
                SmtpServer smtp = server(hop.port(), service);
                Socket s = new Socket("127.0.0.1", smtp.bound().port())) {
            BufferedReader in = reader(s);
            OutputStream out = s.getOutputStream();
            in.readLine();
            converse(in, out, "HELO mta.test\r\n", 1);
            assertThat(converse(in, out, "MAIL FROM:<a@s.test>\r\nRCPT TO:<b@r.test>\r\nDATA\r\n", 3))
                    .last()
                    .asString()
                    .startsWith("354");
            assertThat(converse(in, out, "this is malware\r\n.\r\n", 1))
                    .containsExactly("554 5.7.1 Rejected by Mamori: mail.executable_attachment");
            assertThat(hop.messages).isEmpty();
            assertThat(converse(in, out, "MAIL FROM:<a@s.test>\r\nRCPT TO:<nobody@r.test>\r\nDATA\r\n", 3))
                    .containsExactly("250 2.0.0 Ok", "550 5.1.1 No such user", "554 5.5.1 Error: no valid recipients");
            assertThat(converse(in, out, "RCPT TO:<b@r.test>\r\nNOOP\r\nVRFY x\r\nFROB\r\n", 4))
                    .containsExactly(
                            "503 5.5.1 Error: need MAIL command", "250 2.0.0 Ok",
                            "252 2.0.0 Cannot VRFY user, but will accept message",
                                    "502 5.5.2 Error: command not recognized");
        }
    }

    @Test
    void unreachableNextHopGets451AndTooLargeMessages552() throws Exception {
        Service service = new Service();
        int dead;
        try (ServerSocket probe = new ServerSocket(0)) {
            dead = probe.getLocalPort();
        }
        try (SmtpServer smtp = server(dead, service);
                Socket s = new Socket("127.0.0.1", smtp.bound().port())) {
            BufferedReader in = reader(s);
            OutputStream out = s.getOutputStream();
            in.readLine();
            converse(in, out, "EHLO x\r\n", 1);
            assertThat(converse(in, out, "MAIL FROM:<a@s.test>\r\n", 1))
                    .containsExactly("451 4.4.1 Next hop not reachable, try again later");
            assertThat(service.outcomes).containsExactly("deferred");
            assertThat(converse(in, out, "MAIL FROM:<a@s.test> SIZE=2000000\r\n", 1))
                    .containsExactly("552 5.3.4 Message size exceeds fixed limit");
            assertThat(converse(in, out, "X".repeat(2000) + "\r\nNOOP\r\n", 2))
                    .containsExactly("500 5.5.2 Line too long", "250 2.0.0 Ok");
        }
        try (FakeNextHop hop = new FakeNextHop();
                SmtpServer smtp = server(hop.port(), service);
                Socket s = new Socket("127.0.0.1", smtp.bound().port())) {
            BufferedReader in = reader(s);
            OutputStream out = s.getOutputStream();
            in.readLine();
            converse(in, out, "EHLO x\r\nMAIL FROM:<a@s.test>\r\nRCPT TO:<b@r.test>\r\nDATA\r\n", 4);
            String big = ("y".repeat(998) + "\r\n").repeat(1100);
            assertThat(converse(in, out, big + ".\r\n", 1))
                    .containsExactly("552 5.3.4 Message size exceeds fixed limit");
            assertThat(hop.messages).isEmpty();
        }
    }

    @Test
    void shutdownEndsEverySessionWith421AndRelaysNothingHalfDone() throws Exception {
        Service service = new Service();
        try (FakeNextHop hop = new FakeNextHop();
                SmtpServer smtp = server(hop.port(), service);
                Socket idle = new Socket("127.0.0.1", smtp.bound().port());
                Socket busy = new Socket("127.0.0.1", smtp.bound().port())) {
            BufferedReader idleIn = reader(idle);
            BufferedReader busyIn = reader(busy);
            idleIn.readLine();
            busyIn.readLine();
            converse(idleIn, idle.getOutputStream(), "EHLO a\r\n", 1);
            converse(busyIn, busy.getOutputStream(), "EHLO b\r\n", 1);
            assertThat(converse(
                            busyIn,
                            busy.getOutputStream(),
                            "MAIL FROM:<a@s.test>\r\nRCPT TO:<b@r.test>\r\n" + "DATA\r\n",
                            3))
                    .last()
                    .asString()
                    .startsWith("354");
            busy.getOutputStream().write("Subject: half\r\n".getBytes(StandardCharsets.US_ASCII));

            smtp.stopAccepting();
            Thread stopper = new Thread(() -> smtp.closeConnections(Duration.ofSeconds(10)));
            stopper.start();
            assertThat(idleIn.readLine()).isEqualTo("421 4.3.2 mamori.test Service shutting down");
            assertThat(busyIn.readLine()).isEqualTo("421 4.3.2 mamori.test Service shutting down");
            assertThat(idleIn.readLine()).isNull();
            assertThat(busyIn.readLine()).isNull();
            stopper.join();
            assertThat(hop.messages).isEmpty();
            assertThat(service.outcomes).isEmpty();
        }
    }

    /** A stop while a message is being inspected: its verdict first, then 421, then the close. */
    @Test
    void shutdownWaitsForTheMessageBeingInspectedAndThenSays421() throws Exception {
        Service service = new Service();
        try (FakeNextHop hop = new FakeNextHop();
                SmtpServer smtp = server(hop.port(), service);
                Socket s = new Socket("127.0.0.1", smtp.bound().port())) {
            BufferedReader in = reader(s);
            OutputStream out = s.getOutputStream();
            in.readLine();
            converse(in, out, "EHLO a\r\nMAIL FROM:<a@s.test>\r\nRCPT TO:<b@r.test>\r\nDATA\r\n", 4);
            // over the inline limit, so it waits on a worker, not on the event loop
            String body = "malware hold\r\n" + ("z".repeat(98) + "\r\n").repeat(700);
            out.write((body + ".\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(service.holding.await(5, TimeUnit.SECONDS)).isTrue();
            smtp.stopAccepting();
            Thread stopper = new Thread(() -> smtp.closeConnections(Duration.ofSeconds(30)));
            stopper.start();
            Thread.sleep(200);
            service.held.countDown();
            assertThat(in.readLine()).isEqualTo("554 5.7.1 Rejected by Mamori: mail.executable_attachment");
            assertThat(in.readLine()).isEqualTo("421 4.3.2 mamori.test Service shutting down");
            assertThat(in.readLine()).isNull();
            stopper.join();
            assertThat(hop.messages).isEmpty();
        }
    }

    @Test
    void startTlsUpgradesTheSessionAndDropsCommandsInjectedBeforeTheHandshake(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        TestCertificates.selfSigned(dir, cert, key);
        Service service = new Service();
        try (FakeNextHop hop = new FakeNextHop();
                SmtpServer smtp = server(hop.port(), service, TlsContexts.server(cert, key, null));
                Socket plain = new Socket("127.0.0.1", smtp.bound().port())) {
            BufferedReader in = reader(plain);
            in.readLine();
            assertThat(ehlo(in, plain.getOutputStream())).contains("250-STARTTLS");
            // CVE-2011-0411: a command pipelined after STARTTLS in clear text must not be executed.
            assertThat(converse(in, plain.getOutputStream(), "STARTTLS\r\nMAIL FROM:<injected@evil.test>\r\n", 1))
                    .containsExactly("220 2.0.0 Ready to start TLS");

            SSLSocket s = (SSLSocket) TestCertificates.trusting(cert)
                    .getSocketFactory()
                    .createSocket(plain, "localhost", plain.getPort(), true);
            s.startHandshake();
            BufferedReader tin = reader(s);
            OutputStream out = s.getOutputStream();
            assertThat(converse(tin, out, "RCPT TO:<b@r.test>\r\n", 1))
                    .containsExactly("503 5.5.1 Error: need MAIL command");
            assertThat(converse(tin, out, "MAIL FROM:<a@s.test>\r\n", 1))
                    .containsExactly("503 5.5.1 Error: send HELO/EHLO first");
            assertThat(ehlo(tin, out)).doesNotContain("250-STARTTLS");
            assertThat(converse(tin, out, "STARTTLS\r\n", 1)).containsExactly("503 5.5.1 Error: TLS already active");
            assertThat(converse(tin, out, "MAIL FROM:<a@s.test>\r\nRCPT TO:<b@r.test>\r\nDATA\r\n", 3))
                    .last()
                    .asString()
                    .startsWith("354");
            assertThat(converse(tin, out, "Subject: secret\r\n\r\nover tls\r\n.\r\n", 1))
                    .containsExactly("250 2.0.0 Ok: queued");
            assertThat(hop.messages).singleElement().asString().contains("over tls");
            assertThat(hop.commands).noneMatch(c -> c.contains("injected"));
        }
    }

    @Test
    void messagesPastTheSharedBufferBudgetAreDeferredWith452AndTheBudgetComesBack() throws Exception {
        Service service = new Service();
        try (FakeNextHop hop = new FakeNextHop();
                SmtpServer smtp = server(hop.port(), service, null, 4_000);
                Socket s = new Socket("127.0.0.1", smtp.bound().port());
                Socket dropped = new Socket("127.0.0.1", smtp.bound().port())) {
            BufferedReader in = reader(s);
            OutputStream out = s.getOutputStream();
            in.readLine();
            converse(in, out, "EHLO a\r\n", 1);
            String line = "x".repeat(98) + "\r\n";
            converse(in, out, "MAIL FROM:<a@s.test>\r\nRCPT TO:<b@r.test>\r\nDATA\r\n", 3);
            assertThat(converse(in, out, line.repeat(50) + ".\r\n", 1))
                    .containsExactly("452 4.3.1 Insufficient system storage, try again later");
            assertThat(hop.messages).isEmpty();
            converse(in, out, "MAIL FROM:<a@s.test>\r\nRCPT TO:<b@r.test>\r\nDATA\r\n", 3);
            assertThat(converse(in, out, line.repeat(10) + ".\r\n", 1)).containsExactly("250 2.0.0 Ok: queued");
            assertThat(service.outcomes).containsExactly("deferred", "tagged");

            // a connection lost in the middle of a message gives its bytes back
            BufferedReader din = reader(dropped);
            din.readLine();
            converse(
                    din,
                    dropped.getOutputStream(),
                    "EHLO b\r\nMAIL FROM:<a@s.test>\r\nRCPT TO:<b@r.test>\r\n" + "DATA\r\n",
                    4);
            dropped.getOutputStream().write(line.repeat(20).getBytes(StandardCharsets.US_ASCII));
            dropped.getOutputStream().flush();
            for (int i = 0; i < 100 && smtp.bufferedBytes() < 2_000; i++) {
                Thread.sleep(20);
            }
            assertThat(smtp.bufferedBytes()).isEqualTo(2_000);
            dropped.shutdownOutput();
            for (int i = 0; i < 100 && smtp.bufferedBytes() > 0; i++) {
                Thread.sleep(20);
            }
            assertThat(smtp.bufferedBytes()).isZero();
        }
    }

    @Test
    void aClientFarAheadOfItsAnswersIsStillAnsweredInFullAndInOrder() throws Exception {
        Service service = new Service();
        try (FakeNextHop hop = new FakeNextHop();
                SmtpServer smtp = server(hop.port(), service);
                Socket s = new Socket("127.0.0.1", smtp.bound().port())) {
            BufferedReader in = reader(s);
            in.readLine();
            int n = 20 * SmtpSession.MAX_PIPELINED;
            StringBuilder flood = new StringBuilder("EHLO a\r\n");
            for (int i = 0; i < n; i++) {
                flood.append(i % 2 == 0 ? "NOOP\r\n" : "VRFY x\r\n");
            }
            Thread writer = new Thread(() -> {
                try {
                    s.getOutputStream().write(flood.toString().getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.start();
            for (String l = in.readLine(); l.charAt(3) == '-'; l = in.readLine()) {
                assertThat(l).startsWith("250-");
            }
            for (int i = 0; i < n; i++) {
                assertThat(in.readLine()).as("answer %d", i).startsWith(i % 2 == 0 ? "250 2.0.0 Ok" : "252 ");
            }
            writer.join();
            assertThat(converse(in, s.getOutputStream(), "QUIT\r\n", 1)).containsExactly("221 2.0.0 Bye");
        }
    }

    @Test
    void nextHopTemporaryFailuresReachTheSenderAs451AndPermanentOnesUnchanged() throws Exception {
        Service service = new Service();
        try (FakeNextHop hop = new FakeNextHop();
                SmtpServer smtp = server(hop.port(), service);
                Socket s = new Socket("127.0.0.1", smtp.bound().port())) {
            BufferedReader in = reader(s);
            OutputStream out = s.getOutputStream();
            in.readLine();
            converse(in, out, "EHLO a\r\n", 1);
            hop.dataReply = "452 4.3.1 Insufficient system storage";
            assertThat(converse(
                            in,
                            out,
                            "MAIL FROM:<a@s.test>\r\nRCPT TO:<later@r.test>\r\nRCPT TO:<b@r.test>\r\n" + "DATA\r\n",
                            4))
                    .containsExactly(
                            "250 2.0.0 Ok",
                            "451 4.2.1 Mailbox busy",
                            "250 2.1.5 Ok",
                            "354 End data with <CR><LF>.<CR><LF>");
            assertThat(converse(in, out, "Subject: a\r\n\r\nx\r\n.\r\n", 1))
                    .containsExactly("451 4.3.1 Insufficient system storage");
            hop.dataReply = "554 5.7.1 Spam";
            converse(in, out, "MAIL FROM:<a@s.test>\r\nRCPT TO:<b@r.test>\r\nDATA\r\n", 3);
            assertThat(converse(in, out, "Subject: b\r\n\r\nx\r\n.\r\n", 1)).containsExactly("554 5.7.1 Spam");
            assertThat(service.outcomes).containsExactly("deferred", "rejected");
        }
    }

    /** A next hop that dies mid-message, or after the message before its answer: never a 250. */
    @Test
    void aNextHopDyingDuringOrAfterTheMessageGivesTheSenderA4xxNeverA250() throws Exception {
        for (FakeNextHop.DataFate fate :
                List.of(FakeNextHop.DataFate.DIE_MID_DATA, FakeNextHop.DataFate.DIE_BEFORE_REPLY)) {
            Service service = new Service();
            try (FakeNextHop hop = new FakeNextHop();
                    SmtpServer smtp = server(hop.port(), service);
                    Socket s = new Socket("127.0.0.1", smtp.bound().port())) {
                BufferedReader in = reader(s);
                OutputStream out = s.getOutputStream();
                in.readLine();
                converse(in, out, "EHLO a\r\n", 1);
                hop.dataFate = fate;
                assertThat(converse(in, out, "MAIL FROM:<a@s.test>\r\nRCPT TO:<b@r.test>\r\nDATA\r\n", 3))
                        .endsWith("354 End data with <CR><LF>.<CR><LF>");
                String body = "Subject: " + fate + "\r\n\r\n" + "x".repeat(200_000) + "\r\n.\r\n";
                List<String> answer = converse(in, out, body, 1);
                assertThat(answer)
                        .as(fate.toString())
                        .singleElement()
                        .asString()
                        .startsWith("4");
                assertThat(hop.messages).as("nothing was queued").isEmpty();
                assertThat(service.outcomes).as(fate.toString()).containsExactly("deferred");
            }
        }
    }

    /**
     * RFC 2920 towards the next hop: a hop that answers MAIL and RCPT only once DATA arrived is
     * served only if the relay pipelines them with DATA as the group's last command; one that does
     * not offer PIPELINING gets one command at a time.
     */
    @Test
    void mailAndRcptArePipelinedToTheNextHopOnlyWhenItOffersPipelining() throws Exception {
        for (boolean offers : List.of(true, false)) {
            Service service = new Service();
            try (FakeNextHop hop = new FakeNextHop();
                    SmtpServer smtp = server(hop.port(), service, null, 10_000_000, Duration.ofSeconds(3));
                    Socket s = new Socket("127.0.0.1", smtp.bound().port())) {
                hop.offersPipelining = offers;
                hop.repliesWaitForData = offers;
                BufferedReader in = reader(s);
                OutputStream out = s.getOutputStream();
                in.readLine();
                converse(in, out, "EHLO a\r\n", 1);
                assertThat(converse(
                                in,
                                out,
                                "MAIL FROM:<a@s.test>\r\nRCPT TO:<b@r.test>\r\nRCPT TO:<c@r.test>\r\nDATA\r\n",
                                4))
                        .as("offers PIPELINING: %s", offers)
                        .containsExactly(
                                "250 2.0.0 Ok", "250 2.1.5 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>");
                assertThat(converse(in, out, "Subject: p\r\n\r\nx\r\n.\r\nQUIT\r\n", 2))
                        .containsExactly("250 2.0.0 Ok: queued", "221 2.0.0 Bye");
                assertThat(hop.pipelinedUnoffered).isFalse();
                assertThat(hop.messages).hasSize(1);
            }
        }
    }

    /** RFC 6531: an address in UTF-8 reaches the next hop byte for byte. */
    @Test
    void utf8AddressesReachTheNextHopUnchanged() throws Exception {
        Service service = new Service();
        try (FakeNextHop hop = new FakeNextHop();
                SmtpServer smtp = server(hop.port(), service);
                Socket s = new Socket("127.0.0.1", smtp.bound().port())) {
            BufferedReader in = reader(s);
            OutputStream out = s.getOutputStream();
            in.readLine();
            converse(in, out, "EHLO a\r\n", 1);
            assertThat(converse(in, out, "MAIL FROM:<björn@exämple.test> SMTPUTF8\r\nRCPT TO:<山田@例え.jp>\r\n", 2))
                    .containsExactly("250 2.0.0 Ok", "250 2.1.5 Ok");
            assertThat(hop.commands).contains("MAIL FROM:<björn@exämple.test> SMTPUTF8", "RCPT TO:<山田@例え.jp>");
        }
    }

    /** A next hop that accepts the connection and then says nothing: 451 after the timeout, not a hang. */
    @Test
    void aSilentNextHopGets451AfterTheTimeout() throws Exception {
        Service service = new Service();
        try (FakeNextHop hop = new FakeNextHop();
                SmtpServer smtp = server(hop.port(), service, null, 10_000_000, Duration.ofMillis(500));
                Socket s = new Socket("127.0.0.1", smtp.bound().port())) {
            hop.mute = true;
            BufferedReader in = reader(s);
            OutputStream out = s.getOutputStream();
            in.readLine();
            converse(in, out, "EHLO a\r\n", 1);
            assertThat(converse(in, out, "MAIL FROM:<a@s.test>\r\nRCPT TO:<b@r.test>\r\nDATA\r\n", 3))
                    .containsExactly(
                            "451 4.4.1 Next hop not reachable, try again later",
                            "503 5.5.1 Error: need MAIL command",
                            "503 5.5.1 Error: need MAIL command");
            assertThat(service.outcomes).containsExactly("deferred");
            assertThat(converse(in, out, "NOOP\r\n", 1)).containsExactly("250 2.0.0 Ok");
        }
    }

    private static void oneMessage(int port, String subject, String end) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            BufferedReader in = reader(s);
            in.readLine();
            assertThat(converse(
                            in,
                            s.getOutputStream(),
                            "EHLO a\r\nMAIL FROM:<a@s.test>\r\nRCPT TO:<b@r.test>\r\n" + "DATA\r\n",
                            4))
                    .last()
                    .asString()
                    .startsWith("354");
            assertThat(converse(in, s.getOutputStream(), "Subject: " + subject + "\r\n\r\nx\r\n.\r\n" + end, 1))
                    .containsExactly("250 2.0.0 Ok: queued");
        }
    }

    @Test
    void nextHopConnectionsAreReusedAcrossSenderConnectionsAndReplacedWhenTheHopDroppedThem() throws Exception {
        Service service = new Service();
        try (FakeNextHop hop = new FakeNextHop();
                SmtpServer smtp = server(hop.port(), service)) {
            oneMessage(smtp.bound().port(), "one", "QUIT\r\n");
            for (int i = 0; i < 100 && smtp.idleNextHopConnections() == 0; i++) {
                Thread.sleep(20);
            }
            oneMessage(smtp.bound().port(), "two", ""); // the sender just goes away, no QUIT
            for (int i = 0; i < 100 && smtp.idleNextHopConnections() == 0; i++) {
                Thread.sleep(20);
            }
            assertThat(hop.connections.get()).isEqualTo(1);
            assertThat(hop.commands).doesNotContain("QUIT");

            hop.dropAll();
            oneMessage(smtp.bound().port(), "three", "QUIT\r\n");
            assertThat(hop.connections.get()).isEqualTo(2);
            assertThat(hop.messages).hasSize(3);
            assertThat(service.outcomes).containsExactly("tagged", "tagged", "tagged");
        }
    }
}
