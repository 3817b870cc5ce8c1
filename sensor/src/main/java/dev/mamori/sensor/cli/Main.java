package dev.mamori.sensor.cli;

import dev.mamori.sensor.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar mamori.jar <command>}. */
@Command(name = "mamori", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Mamori inline security-log sensor.",
        subcommands = {RunCommand.class, AnalyzeCommand.class, CheckConfigCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("mamori: " + e);
            return FAILURE;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: run, analyze or check-config");
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"mamori " + Version.get(), "Java " + System.getProperty("java.version")};
        }
    }
}
