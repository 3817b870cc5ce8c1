package dev.mamori.sensor.e2e;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * A real Squid for end-to-end tests: its own config, folder and instance name, a hosts file that
 * points the test host names at loopback, ICAP to the sensor and access logs to its syslog port.
 */
final class SquidProcess implements AutoCloseable {

    final int port;
    private final Process process;
    private final Path dir;

    private SquidProcess(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static SquidProcess start(Path squid, Path dir, int port, int icapPort, int syslogPort, String... hosts)
            throws Exception {
        return start(squid, dir, port, icapPort, syslogPort, false, 0, hosts);
    }

    /**
     * @param bypass Squid's {@code bypass=on}: with the ICAP service down or too slow, requests pass
     *     unchecked instead of failing
     * @param icapIoTimeout {@code icap_io_timeout} in seconds; 0 keeps Squid's default
     */
    static SquidProcess start(
            Path squid,
            Path dir,
            int port,
            int icapPort,
            int syslogPort,
            boolean bypass,
            int icapIoTimeout,
            String... hosts)
            throws Exception {
        Files.createDirectories(dir);
        // Squid drops root privileges to its own user, which must be able to reach and write here
        // (JUnit's temporary folders are private to their owner).
        for (Path p = dir.getParent(); p != null && p.startsWith(dir.getRoot().resolve("tmp")); p = p.getParent()) {
            if (p.getNameCount() > 1) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(dir.resolve("hosts"), "127.0.0.1 " + String.join(" ", hosts) + "\n");
        String conf = """
                http_port 127.0.0.1:%d
                pid_filename %s/squid.pid
                cache_log %s/cache.log
                coredump_dir %s
                cache deny all
                dns_nameservers 127.0.0.1
                pinger_enable off
                hosts_file %s/hosts
                visible_hostname mamori-e2e
                shutdown_lifetime 1 seconds
                http_access allow all
                icap_enable on
                icap_send_client_ip on
                icap_service mamori_req reqmod_precache icap://127.0.0.1:%d/reqmod bypass=%s
                adaptation_access mamori_req allow all
                logformat mamori %%ts.%%03tu %%6tr %%>a %%Ss/%%03>Hs %%<st %%rm %%ru %%[un %%Sh/%%<a %%mt %%>st "%%{User-Agent}>h"
                access_log udp://127.0.0.1:%d logformat=mamori buffer-size=0KB
                access_log udp://127.0.0.1:%d logformat=squid buffer-size=0KB
                """.formatted(port, dir, dir, dir, dir, icapPort, bypass ? "on" : "off", syslogPort, syslogPort)
                + (icapIoTimeout > 0 ? "icap_io_timeout " + icapIoTimeout + " seconds\n" : "");
        Path file = dir.resolve("squid.conf");
        Files.writeString(file, conf);
        Process p = new ProcessBuilder(squid.toString(), "-N", "-n", "mamori" + port, "-f", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("squid.out").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                if (s.isConnected()) {
                    return new SquidProcess(p, port, dir);
                }
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("squid did not start:\n" + Files.readString(dir.resolve("squid.out"))
                + (Files.exists(dir.resolve("cache.log")) ? Files.readString(dir.resolve("cache.log")) : ""));
    }

    String log() throws IOException {
        return Files.exists(dir.resolve("cache.log")) ? Files.readString(dir.resolve("cache.log")) : "";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
