package dev.mamori.sensor.cli;

import dev.mamori.sensor.Version;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar mamori.jar <command>}. */
@Command(
        name = "mamori",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "Mamori inline security-log sensor.",
        subcommands = {RunCommand.class, AnalyzeCommand.class, CheckConfigCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // UTF-8 whatever the locale: alerts and messages may be Japanese.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = execute(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    public static int execute(String... args) {
        return execute(null, null, args);
    }

    /** Runs a command line with the given standard output and error (null: the process's own). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        if (out != null) {
            cl.setOut(out);
        }
        if (err != null) {
            cl.setErr(err);
        }
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("mamori: " + e);
            return FAILURE;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "a command is required: run, analyze or check-config");
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"mamori " + Version.get(), "Java " + System.getProperty("java.version")};
        }
    }
}
