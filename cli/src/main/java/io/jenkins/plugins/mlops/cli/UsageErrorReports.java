package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.io.BadInputException;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/** Usage errors of a step command remove that step's previous report set, then read as picocli prints them. */
final class UsageErrorReports implements IParameterExceptionHandler {
    private final IParameterExceptionHandler usage;

    UsageErrorReports(IParameterExceptionHandler usage) {
        this.usage = usage;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) throws Exception {
        if (ex.getCommandLine().getCommand() instanceof StepCommand<?> step) {
            try {
                step.discardReportAfterUsageError(args);
            } catch (BadInputException e) {
                // --report names no directory: there is no set to remove; the usage error says what is wrong.
            } catch (RuntimeException e) {
                ex.getCommandLine().getErr().println("mlops: error: " + e.getMessage());
                return ExitCodes.INFRASTRUCTURE;
            }
        }
        return usage.handleParseException(ex, args);
    }
}
