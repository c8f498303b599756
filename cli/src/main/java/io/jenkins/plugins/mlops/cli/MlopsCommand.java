package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.MlopsVersion;
import io.jenkins.plugins.mlops.io.Redaction;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mlops} command: one subcommand per pipeline step, the same engine as the Jenkins plugin. */
@Command(
        name = "mlops",
        mixinStandardHelpOptions = true,
        versionProvider = MlopsCommand.Version.class,
        description = "CI, Continuous Training and Continuous Deployment for machine-learning models.",
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  passed",
            "  1  a check, gate or analysis failed",
            "  2  bad input or usage",
            "  3  infrastructure failure (registry, cluster, server)",
            "",
            "Every option can also be set through MLOPS_<OPTION>, e.g. MLOPS_REPORT for --report."
        })
public final class MlopsCommand {

    /** In pipeline order, as a Jenkinsfile runs them; {@code mlops --help} lists them so. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            IngestCommand.class,
            ValidateDataCommand.class,
            ProfileCommand.class,
            InferSchemaCommand.class,
            CiCommand.class,
            SmokeTrainCommand.class,
            TrainCommand.class,
            GateCommand.class,
            RegisterCommand.class,
            PackageCommand.class,
            DeployCommand.class,
            CanaryCommand.class,
            AbCommand.class,
            ModelsCommand.class,
            ShadowCommand.class,
            RouterCommand.class,
            DriftCommand.class,
            RunCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class);

    public static void main(String[] args) {
        logThroughTheJdk();
        System.exit(commandLine(args).execute(args));
    }

    /**
     * Netty and Vert.x log through the first framework they find, and the Spark Connect client
     * brings log4j-core with no configuration, which drops warnings: the router's "Too many open
     * files" and refused accepts would vanish. This process logs through the JDK's logging (to
     * stderr, never into a command's stdout), as it did before that library came.
     */
    static void logThroughTheJdk() {
        System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.JULLogDelegateFactory");
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    }

    /** The configured command line with every subcommand. */
    public static CommandLine commandLine() {
        return configure(SUBCOMMANDS);
    }

    /**
     * The configured command line that runs {@code args}, shared by {@link #main} and the tests:
     * when the first argument names a step, only that subcommand is registered, since no other can
     * be reached from there. picocli builds the model of each registered command by reflection
     * over its options and their types; for all sixteen that is ~0.2 s of every start. Anything
     * else ({@code help}, {@code --version}, a typo to suggest a command for) gets them all.
     */
    public static CommandLine commandLine(String[] args) {
        if (args.length > 0) {
            for (Class<?> subcommand : SUBCOMMANDS) {
                if (subcommand != CommandLine.HelpCommand.class
                        && subcommand.getAnnotation(Command.class).name().equals(args[0])) {
                    return configure(List.of(subcommand));
                }
            }
        }
        return commandLine();
    }

    // Subcommands come first: picocli hands the settings below only to the subcommands it already has.
    private static CommandLine configure(List<Class<?>> subcommands) {
        Redaction.rememberEnvironment(System.getenv());
        CommandLine commandLine = new CommandLine(new MlopsCommand());
        subcommands.forEach(commandLine::addSubcommand);
        commandLine.getSubcommands().values().forEach(sub -> {
            if (sub.getCommand() instanceof CatalogueOptions.Bound bound) {
                CatalogueOptions.add(sub.getCommandSpec(), bound.catalogue());
            }
        });
        commandLine.setDefaultValueProvider(new EnvironmentDefaultProvider(System.getenv()));
        commandLine.setExecutionExceptionHandler(new ExceptionExitCodes());
        commandLine.setExitCodeExceptionMapper(new ExceptionExitCodes());
        commandLine.setParameterExceptionHandler(new UsageErrorReports(commandLine.getParameterExceptionHandler()));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // Whatever writers the caller set, everything printed (usage errors included) goes through Redaction.
        CommandLine.IParameterExceptionHandler usage = commandLine.getParameterExceptionHandler();
        commandLine.setParameterExceptionHandler((ex, args) -> {
            redactOutput(ex.getCommandLine());
            return usage.handleParseException(ex, args);
        });
        commandLine.setExecutionStrategy(parseResult -> {
            redactOutput(parseResult.commandSpec().commandLine());
            return new CommandLine.RunLast().execute(parseResult);
        });
        return commandLine;
    }

    private static void redactOutput(CommandLine commandLine) {
        if (!(commandLine.getOut() instanceof RedactingPrintWriter)) {
            commandLine.setOut(new RedactingPrintWriter(commandLine.getOut()));
        }
        if (!(commandLine.getErr() instanceof RedactingPrintWriter)) {
            commandLine.setErr(new RedactingPrintWriter(commandLine.getErr()));
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"mlops " + MlopsVersion.get()};
        }
    }
}
