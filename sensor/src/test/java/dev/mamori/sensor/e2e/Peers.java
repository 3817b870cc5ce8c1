package dev.mamori.sensor.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Real peer programs the end-to-end tests drive. On a machine without one, its tests skip with a
 * message saying how to install it; with {@code MAMORI_REQUIRE_PEERS=1} (as {@code .ci/run} sets)
 * a missing peer fails the build instead.
 */
public final class Peers {
    private Peers() {}

    /** How a peer ended: its exit code and everything it wrote (stdout and stderr together). */
    public record Finished(int exit, String output) {}

    /**
     * Waits for a started peer at most {@code seconds}; a peer that hangs is killed and fails the
     * test. Its output is read on another thread, so a peer that never closes it cannot stall the wait.
     */
    public static Finished finish(Process p, long seconds, String what) throws Exception {
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e.getMessage() + ")";
            }
        });
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(what + " did not finish in " + seconds + " s");
        }
        return new Finished(p.exitValue(), output.get(10, TimeUnit.SECONDS));
    }

    /** Runs a peer to completion (30 s at most) and returns its output; a non-zero exit fails the test. */
    public static String run(String... command) throws Exception {
        Finished f =
                finish(new ProcessBuilder(command).redirectErrorStream(true).start(), 30, command[0]);
        if (f.exit() != 0) {
            fail(String.join(" ", command) + " exited " + f.exit() + ":\n" + f.output());
        }
        return f.output();
    }

    /**
     * rsyslogd in the foreground on {@code conf}, its pid file and its output ({@code rsyslogd.out})
     * in {@code dir}; the caller stops it.
     */
    public static Process rsyslogd(Path rsyslogd, Path conf, Path dir) throws IOException {
        return new ProcessBuilder(
                        rsyslogd.toString(),
                        "-n",
                        "-f",
                        conf.toString(),
                        "-i",
                        dir.resolve("rsyslogd.pid").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("rsyslogd.out").toFile())
                .start();
    }

    /** A file a peer needs (a module), or skip/fail as {@link #require} does. */
    public static Path requireFile(Path file, String debianPackage) {
        if (Files.exists(file)) {
            return file;
        }
        String message = file + " not found: install it with 'apt-get install " + debianPackage
                + "' (.ci/run does) to run this end-to-end test";
        if ("1".equals(System.getenv("MAMORI_REQUIRE_PEERS"))) {
            fail(message);
        }
        Assumptions.abort(message);
        return null;
    }

    public static Path require(String program, String debianPackage) {
        // Daemons such as rsyslogd live in sbin, which a non-login PATH may lack.
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String message = program + " not found: install it with 'apt-get install " + debianPackage
                + "' (.ci/run does) to run this end-to-end test";
        if ("1".equals(System.getenv("MAMORI_REQUIRE_PEERS"))) {
            fail(message);
        }
        Assumptions.abort(message);
        return null;
    }
}
