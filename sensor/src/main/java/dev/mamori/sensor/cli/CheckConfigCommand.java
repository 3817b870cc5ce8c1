package dev.mamori.sensor.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.mamori.detectors.sigma.SigmaRules;
import dev.mamori.sensor.config.MamoriConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Validates a configuration and prints the effective result, or every error with its key path. */
@Command(
        name = "check-config",
        mixinStandardHelpOptions = true,
        description = "Validate the configuration and print it with every default filled in.")
final class CheckConfigCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        MamoriConfig c = config.load(spec.commandLine().getErr());
        if (c == null) {
            return Main.USAGE;
        }
        ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .build());
        spec.commandLine().getOut().println("# effective configuration of " + c.source());
        spec.commandLine().getOut().print(yaml.writeValueAsString(c.effective()));
        spec.commandLine().getOut().flush();
        for (String warning : c.warnings()) {
            spec.commandLine().getErr().println("mamori: warning: " + warning);
        }
        if (c.sigma() != null) {
            // every rule that will not run, with its file and why; the others load
            SigmaRules.Loaded sigma = SigmaRules.load(
                    c.sigma().rules(),
                    c.sigma().statuses(),
                    c.sigma().minLevel(),
                    c.sigma().informational());
            for (SigmaRules.Rejected r : sigma.rejected()) {
                spec.commandLine().getErr().println("mamori: sigma: " + r.file() + ": " + r.reason());
            }
            spec.commandLine()
                    .getErr()
                    .printf(
                            "mamori: sigma: %d rules load, %d left out by status or level, %d refused%n",
                            sigma.size(), sigma.filtered(), sigma.rejected().size());
        }
        spec.commandLine().getErr().println("mamori: configuration OK");
        return Main.OK;
    }
}
