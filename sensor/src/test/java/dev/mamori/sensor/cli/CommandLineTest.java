package dev.mamori.sensor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process: exit codes, and what goes to stdout and stderr. */
class CommandLineTest {

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void versionAndHelp() {
        Result v = run("--version");
        assertThat(v.code()).isZero();
        assertThat(v.out()).startsWith("mamori ");
        Result h = run("--help");
        assertThat(h.code()).isZero();
        assertThat(h.out()).contains("run", "analyze", "check-config");
    }

    @Test
    void usageErrorsExit2() {
        assertThat(run().code()).isEqualTo(2);
        assertThat(run("frobnicate").code()).isEqualTo(2);
        assertThat(run("analyze").code()).as("analyze needs a file").isEqualTo(2);
        assertThat(run("run", "--bogus").code()).isEqualTo(2);
    }

    @Test
    void checkConfigPrintsTheEffectiveEmbeddedDefault() {
        Result r = run("check-config");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("# effective configuration of embedded:config/mamori.yaml")
                .contains("internal_networks:", "proxy.exfiltration:", "threshold_bytes: 100MiB");
        assertThat(r.err()).contains("configuration OK");
    }

    @Test
    void checkConfigOnABrokenFileListsEveryErrorWithItsKeyPathAndExits2() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                inputs:
                  smtp: {port: 70000}
                  http: {prot: 1}
                intel: {indicator_files: [missing.txt], allowed_user_agents_file: missing-too.txt}
                """);
        Result r = run("check-config", "--config", bad.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(
                "inputs.smtp.port: must be 0..65535, was 70000",
                "inputs.http.prot: unknown key (did you mean 'port'?)",
                "intel.indicator_files[0]: file not found or not readable: ",
                "intel.allowed_user_agents_file: file not found or not readable: ");
    }

    @Test
    void runWithABrokenConfigExits2() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "inputs: {http: {port: 99999}}\n");
        Result r = run("run", "--config", bad.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("inputs.http.port: must be 0..65535, was 99999");
    }

    @Test
    void analyzeCountsLinesAndReportsUnreadableFiles() throws Exception {
        Path log = dir.resolve("fw.log");
        Files.writeString(log, "first line\n\nsecond line\r\nthird\n");
        Result r = run("analyze", log.toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("analyze: 1 file(s), 4 line(s): 0 recognised, 3 not recognised, 1 blank");
        Result missing = run("analyze", log.toString(), dir.resolve("nope.log").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("nope.log: no such file").contains("analyze: 1 file(s), 4 line(s)");
    }
}
