package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.MlopsVersion;
import io.jenkins.plugins.mlops.io.Redaction;
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
        },
        subcommands = {
            // In pipeline order, as a Jenkinsfile runs them.
            ValidateDataCommand.class,
            ProfileCommand.class,
            InferSchemaCommand.class,
            SmokeTrainCommand.class,
            TrainCommand.class,
            GateCommand.class,
            RegisterCommand.class,
            CanaryCommand.class,
            AbCommand.class,
            ModelsCommand.class,
            ShadowCommand.class,
            RouterCommand.class,
            DriftCommand.class,
            RunCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class MlopsCommand {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        Redaction.rememberEnvironment(System.getenv());
        CommandLine commandLine = new CommandLine(new MlopsCommand());
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
