package dev.mamori.sensor.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Real peer programs the end-to-end tests drive. On a machine without one, its tests skip with a
 * message saying how to install it; with {@code MAMORI_REQUIRE_PEERS=1} (as {@code .ci/run} sets)
 * a missing peer fails the build instead.
 */
public final class Peers {
    private Peers() {
    }

    /** Runs a peer to completion (30 s at most) and returns its output; a non-zero exit fails the test. */
    public static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(command[0] + " did not finish in 30 s");
        }
        if (p.exitValue() != 0) {
            fail(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + out);
        }
        return out;
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
