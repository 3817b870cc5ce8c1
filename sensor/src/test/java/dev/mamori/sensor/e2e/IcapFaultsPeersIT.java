package dev.mamori.sensor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a real Squid does when the ICAP service is down or too slow: its {@code bypass} setting
 * decides, as the README says. {@code bypass=off} (the shipped snippet) fails closed, {@code on}
 * lets requests pass unchecked; a service that never answers is given up on after
 * {@code icap_io_timeout}.
 */
class IcapFaultsPeersIT {

    @TempDir
    Path dir;

    private HttpServer origin;
    private final List<AutoCloseable> running = new ArrayList<>();

    @BeforeEach
    void origin() throws Exception {
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        origin.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "hello from origin\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        origin.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : running) {
            c.close();
        }
        origin.stop(0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private String curlThrough(SquidProcess squid) throws Exception {
        Path curl = Peers.require("curl", "curl");
        return Peers.finish(
                        new ProcessBuilder(
                                        curl.toString(),
                                        "-s",
                                        "-o",
                                        "/dev/null",
                                        "-w",
                                        "%{http_code}",
                                        "-x",
                                        "http://127.0.0.1:" + squid.port,
                                        "--max-time",
                                        "30",
                                        "http://origin.test:"
                                                + origin.getAddress().getPort() + "/page")
                                .redirectErrorStream(true)
                                .start(),
                        40,
                        "curl")
                .output()
                .strip();
    }

    private SquidProcess squid(String name, int icapPort, boolean bypass, int ioTimeout) throws Exception {
        SquidProcess s = SquidProcess.start(
                Peers.require("squid", "squid"),
                dir.resolve(name),
                freePort(),
                icapPort,
                freePort(),
                bypass,
                ioTimeout,
                "origin.test");
        running.add(s);
        return s;
    }

    @Test
    void withTheServiceDownBypassDecides() throws Exception {
        int nothing = freePort(); // nobody listens: Mamori is down
        assertThat(curlThrough(squid("closed", nothing, false, 0)))
                .as("bypass=off fails closed")
                .startsWith("5");
        assertThat(curlThrough(squid("open", nothing, true, 0)))
                .as("bypass=on fails open")
                .isEqualTo("200");
    }

    @Test
    void aServiceThatNeverAnswersIsGivenUpOnAfterTheIoTimeout() throws Exception {
        ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        List<Socket> held = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    held.add(silent.accept()); // reads nothing, answers nothing
                } catch (IOException closed) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        running.add(silent);
        long t0 = System.nanoTime();
        assertThat(curlThrough(squid("slow-open", silent.getLocalPort(), true, 2)))
                .isEqualTo("200");
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        assertThat(curlThrough(squid("slow-closed", silent.getLocalPort(), false, 2)))
                .startsWith("5");
        assertThat(seconds)
                .as("squid waited for icap_io_timeout before bypassing")
                .isGreaterThanOrEqualTo(2);
        for (Socket s : held) {
            s.close();
        }
    }
}
