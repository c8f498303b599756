package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.registry.ModelRegistry;
import io.jenkins.plugins.mlops.registry.ModelVersion;
import io.jenkins.plugins.mlops.result.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mlops models}: read the registry and move aliases, e.g. promote a version to {@code champion}. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Looks up registered model versions and moves aliases between them.",
        subcommands = {ModelsCommand.Get.class, ModelsCommand.Promote.class, ModelsCommand.ListVersions.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  done", "  2  bad input: no such model, version or alias", "  3  the registry failed or refused after retries"})
public final class ModelsCommand {

    /** What every {@code models} subcommand shares: the registry and the model's name. */
    abstract static class ModelsSubcommand implements Callable<Integer> {
        @Mixin
        RegistryOptions registry;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "The registered model's name.")
        String name;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Spec
        CommandSpec spec;

        ModelRegistry open() {
            PrintWriter err = spec.commandLine().getErr();
            return registry.open(line -> {
                err.println(line);
                err.flush();
            });
        }

        int print(Object value) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(Json.writeRedacted(value));
            out.flush();
            return ExitCodes.PASSED;
        }
    }

    @Command(name = "get",
            description = "Prints one version as JSON (name, version, aliases, source, tags), by alias or number.")
    static final class Get extends ModelsSubcommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        static final class Which {
            @Option(names = "--alias", paramLabel = "ALIAS", description = "The alias that points at the version, e.g. champion.")
            String alias;

            @Option(names = "--version", paramLabel = "N", description = "The version number.")
            Integer version;
        }

        @Override
        public Integer call() {
            ModelRegistry models = open();
            return print(which.alias != null ? models.getByAlias(name, which.alias) : models.get(name, which.version));
        }
    }

    @Command(name = "promote",
            description = "Points an alias at a version (moving it from the version that had it) and prints that version as JSON.")
    static final class Promote extends ModelsSubcommand {
        @Option(names = "--version", required = true, paramLabel = "N", description = "The version to promote.")
        int version;

        @Option(names = "--alias", required = true, paramLabel = "ALIAS", description = "The alias to point at it, e.g. champion.")
        String alias;

        @Override
        public Integer call() {
            return print(open().setAlias(name, alias, version));
        }
    }

    @Command(name = "list", description = "Lists every version of a model, oldest first.")
    static final class ListVersions extends ModelsSubcommand {
        @Option(names = "--json", description = "Print the versions as a JSON array instead of a table.")
        boolean json;

        @Override
        public Integer call() {
            List<ModelVersion> versions = open().list(name);
            if (json) {
                return print(versions);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%-8s %-24s %-20s %s%n", "VERSION", "ALIASES", "CREATED", "SOURCE");
            for (ModelVersion version : versions) {
                out.printf(Locale.ROOT, "%-8d %-24s %-20s %s%n", version.version(),
                        version.aliases().isEmpty() ? "-" : String.join(",", version.aliases()),
                        version.created() == null ? "-" : version.created().toString().substring(0, 19),
                        version.source());
            }
            out.flush();
            return ExitCodes.PASSED;
        }
    }
}
