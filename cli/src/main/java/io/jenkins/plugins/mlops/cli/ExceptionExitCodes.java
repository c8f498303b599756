package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.ParseResult;

/**
 * Turns what a step throws into a one-line message on stderr and the exit code the conventions
 * give it: bad input 2, infrastructure 3. No stack trace for the user's mistakes.
 */
final class ExceptionExitCodes implements IExecutionExceptionHandler, IExitCodeExceptionMapper {

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        int code = getExitCode(ex);
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        commandLine.getErr().println(commandLine.getColorScheme().errorText("mlops: " + kind(code) + message));
        if (code != ExitCodes.BAD_INPUT && System.getenv("MLOPS_DEBUG") != null) {
            ex.printStackTrace(commandLine.getErr());
        }
        return code;
    }

    @Override
    public int getExitCode(Throwable exception) {
        if (exception instanceof BadInputException || exception instanceof NoSuchFileException
                || exception instanceof CommandLine.ParameterException) {
            return ExitCodes.BAD_INPUT;
        }
        if (exception instanceof UncheckedIOException unchecked && unchecked.getCause() instanceof NoSuchFileException) {
            return ExitCodes.BAD_INPUT;
        }
        return ExitCodes.INFRASTRUCTURE;
    }

    private static String kind(int code) {
        return code == ExitCodes.BAD_INPUT ? "bad input: " : "error: ";
    }
}
