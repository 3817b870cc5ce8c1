package dev.mamori.sensor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The files in deploy/ are checked by the real tools that will read them. */
class DeployFilesIT {

    private static final Path DEPLOY = Path.of("..", "deploy");

    @Test
    void prometheusScrapeConfigIsValid() throws Exception {
        Path promtool = Peers.require("promtool", "prometheus");
        Process p = new ProcessBuilder(promtool.toString(), "check", "config",
                DEPLOY.resolve("prometheus/scrape.yml").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void rsyslogForwardingSnippetIsValid() throws Exception {
        Path rsyslogd = Peers.require("rsyslogd", "rsyslog");
        Process p = new ProcessBuilder(rsyslogd.toString(), "-N1", "-f",
                DEPLOY.resolve("rsyslog/mamori-forward.conf").toAbsolutePath().toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).doesNotContain("error");
    }

    @Test
    void squidSnippetParses() throws Exception {
        Path squid = Peers.require("squid", "squid");
        Process p = new ProcessBuilder(squid.toString(), "-k", "parse", "-f",
                DEPLOY.resolve("squid/mamori.conf").toAbsolutePath().toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).doesNotContainIgnoringCase("FATAL").doesNotContain("ERROR");
    }
}
