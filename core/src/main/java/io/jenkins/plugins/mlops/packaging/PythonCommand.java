package io.jenkins.plugins.mlops.packaging;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.io.Redaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaging Python (pip, MLflow's downloader) with a deadline; its output is kept for the error message. */
final class PythonCommand {
    private final String python;
    private final Duration deadline;

    PythonCommand(String python, Duration deadline) {
        this.python = python;
        this.deadline = deadline;
    }

    /** The output; a non-zero exit throws with the output's tail, bad input if {@code badInput} says the output shows one. */
    String run(List<String> arguments, Map<String, String> environment, Path log, String what) {
        List<String> command = new ArrayList<>();
        command.add(python);
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new BadInputException("python: cannot run '" + python + "' (" + e.getMessage() + "); give the interpreter"
                    + " that has pip (and MLflow, for models from an MLflow server)", e);
        }
        try {
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new InfrastructureException(what + " did not finish within " + deadline.toSeconds() + " s");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new PythonFailure(what + " failed (exit " + process.exitValue() + "): " + tail(output));
            }
            return output;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InfrastructureException(what + " was interrupted", e);
        } catch (IOException e) {
            throw new InfrastructureException("cannot read the output of " + what + ": " + e.getMessage(), e);
        }
    }

    /** The lines that say why: pip and MLflow end with the error. */
    static String tail(String output) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        String tail = String.join(" | ", lines.subList(Math.max(0, lines.size() - 4), lines.size()));
        return Redaction.redact(tail.length() > 800 ? tail.substring(tail.length() - 800) : tail);
    }

    /** A Python command that ran and failed; the caller decides whether the input or a service is to blame. */
    static final class PythonFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PythonFailure(String message) {
            super(message);
        }
    }
}
