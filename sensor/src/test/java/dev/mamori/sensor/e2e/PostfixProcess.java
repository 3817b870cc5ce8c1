package dev.mamori.sensor.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A private Postfix instance for end-to-end tests (its own config, queue and log under a test
 * folder, nothing chrooted, listening on loopback only): an inbound smtpd, Mamori as its
 * after-queue content filter exactly as {@code deploy/postfix/after-queue.master.cf} sets it up,
 * and final delivery to a relay host. Postfix's master must start as root.
 */
final class PostfixProcess implements AutoCloseable {

    final int port;
    private final Path dir;

    private PostfixProcess(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * @param afterQueueSnippet the deploy file whose ports 10025 (Mamori) and 10026 (re-injection)
     *     are replaced by {@code filterPort} and {@code reinjectPort}
     */
    static PostfixProcess start(Path dir, Path afterQueueSnippet, int filterPort, int reinjectPort, int relayPort)
            throws Exception {
        return start(dir, afterQueueSnippet, filterPort, reinjectPort, relayPort, "");
    }

    /** @param mainCf more main.cf lines */
    static PostfixProcess start(
            Path dir, Path afterQueueSnippet, int filterPort, int reinjectPort, int relayPort, String mainCf)
            throws Exception {
        int port = MailPeersIT.freePort();
        Files.createDirectories(dir.resolve("etc"));
        Files.createDirectories(dir.resolve("spool"));
        Path data = Files.createDirectories(dir.resolve("data"));
        // Postfix's daemons run as the postfix user: it must reach the folder and own data_directory.
        for (Path p = dir; p != null && p.startsWith(dir.getRoot().resolve("tmp")); p = p.getParent()) {
            if (p.getNameCount() > 1) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        run("chown", "postfix", data.toString());
        Files.writeString(
                dir.resolve("etc/main.cf"),
                """
                compatibility_level = 3.6
                queue_directory = %1$s/spool
                data_directory = %1$s/data
                maillog_file = %1$s/maillog
                maillog_file_prefixes = %1$s
                myhostname = mx.corp.example
                mydomain = corp.example
                mydestination =
                inet_interfaces = 127.0.0.1
                inet_protocols = ipv4
                mynetworks = 127.0.0.0/8
                relayhost = [127.0.0.1]:%2$d
                smtpd_relay_restrictions = permit_mynetworks, reject
                content_filter = mamori:[127.0.0.1]:10025
                alias_maps =
                alias_database =
                biff = no
                """.formatted(dir, relayPort).replace("10025", Integer.toString(filterPort)) + mainCf);
        String services = """
                127.0.0.1:%d inet n - n - - smtpd
                pickup    unix  n - n 60 1 pickup
                cleanup   unix  n - n -  0 cleanup
                qmgr      unix  n - n 300 1 qmgr
                rewrite   unix  - - n -  - trivial-rewrite
                bounce    unix  - - n -  0 bounce
                defer     unix  - - n -  0 bounce
                trace     unix  - - n -  0 bounce
                verify    unix  - - n -  1 verify
                flush     unix  n - n 1000? 0 flush
                proxymap  unix  - - n -  - proxymap
                proxywrite unix - - n -  1 proxymap
                smtp      unix  - - n -  - smtp
                relay     unix  - - n -  - smtp
                showq     unix  n - n -  - showq
                error     unix  - - n -  - error
                retry     unix  - - n -  - error
                discard   unix  - - n -  - discard
                anvil     unix  - - n -  1 anvil
                scache    unix  - - n -  1 scache
                postlog   unix-dgram n - n - 1 postlogd
                """.formatted(port);
        String snippet = Files.readString(afterQueueSnippet)
                .replace("127.0.0.1:10026", "127.0.0.1:" + reinjectPort)
                .replace("10025", Integer.toString(filterPort));
        Files.writeString(dir.resolve("etc/master.cf"), services + snippet);
        PostfixProcess postfix = new PostfixProcess(dir, port);
        run("postfix", "-c", dir.resolve("etc").toString(), "start");
        MailPeersIT.awaitPort(port);
        return postfix;
    }

    String log() throws Exception {
        Path log = dir.resolve("maillog");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Waits until the log has a line containing every one of {@code parts}; returns the log. */
    String awaitLog(List<String> parts) throws Exception {
        return awaitLog(parts, 1);
    }

    /** Waits until the log has {@code n} lines containing every one of {@code parts}; returns the log. */
    String awaitLog(List<String> parts, int n) throws Exception {
        for (int i = 0; i < 300; i++) {
            String log = log();
            if (log.lines().filter(l -> parts.stream().allMatch(l::contains)).count() >= n) {
                return log;
            }
            Thread.sleep(100);
        }
        return log();
    }

    /**
     * Waits for Postfix to retry a deferred message on its own and log {@code parts}. Its retry
     * time comes from the wall clock (the queue file's time plus the backoff); where that clock is
     * stepped backwards (shared test machines), the retry can be minutes away, so after 20 s the
     * deferred queue is flushed as an operator would ({@code postqueue -f}) and the wait goes on.
     * Either way the mail was kept, not bounced, which is what the tests prove.
     */
    String awaitRetry(List<String> parts) throws Exception {
        for (int i = 0; i < 200; i++) {
            String log = log();
            if (log.lines().anyMatch(l -> parts.stream().allMatch(l::contains))) {
                return log;
            }
            Thread.sleep(100);
        }
        run("postqueue", "-c", dir.resolve("etc").toString(), "-f");
        return awaitLog(parts);
    }

    private static void run(String... command) throws Exception {
        Peers.Finished f = Peers.finish(
                new ProcessBuilder(command).redirectErrorStream(true).start(), 60, command[0]);
        if (f.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + f.output());
        }
    }

    @Override
    public void close() throws IOException {
        try {
            run("postfix", "-c", dir.resolve("etc").toString(), "stop");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
