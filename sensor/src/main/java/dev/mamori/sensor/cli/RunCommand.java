package dev.mamori.sensor.cli;

import dev.mamori.protocols.transport.ListenerException;
import dev.mamori.sensor.LogLevels;
import dev.mamori.sensor.Sensor;
import dev.mamori.sensor.config.MamoriConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Runs the sensor until SIGTERM or SIGINT. The shutdown hook stops it in order (listeners, drain,
 * flush and fsync) and then ends the JVM with status 0: a signal-initiated JVM exit would otherwise
 * report 143/130, which service managers and scripts read as a failure.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Start all configured inputs.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        MamoriConfig c = config.load(err);
        if (c == null) {
            return Main.USAGE;
        }
        LogLevels.apply(c.logLevel());
        Sensor sensor;
        try {
            sensor = Sensor.start(c);
        } catch (ListenerException | IOException e) {
            err.println("mamori: cannot start: " + e.getMessage());
            err.flush();
            return Main.FAILURE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            sensor.stop();
                            stopped.countDown();
                            Runtime.getRuntime().halt(Main.OK);
                        },
                        "mamori-shutdown"));
        stopped.await();
        return Main.OK;
    }
}
