package io.jenkins.plugins.mlops.image;

import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one of the host's image tools to its end; its output comes back, or is the message of its failure. */
final class HostCommand {
    private HostCommand() {}

    /** Runs {@code command} (its output to a file, so a chatty tool cannot block on a full pipe); returns stdout and stderr. */
    static String run(List<String> command, Duration timeout) {
        Path out = null;
        try {
            out = Files.createTempFile("mlops-host", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            boolean done = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
            if (!done) {
                process.destroyForcibly();
            }
            String output = Files.readString(out, StandardCharsets.UTF_8).strip();
            if (!done || process.exitValue() != 0) {
                throw new InfrastructureException(String.join(" ", command) + (done ? " failed (exit " + process.exitValue()
                        + ")" : " timed out after " + timeout.toSeconds() + " s") + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new InfrastructureException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfrastructureException("interrupted: " + String.join(" ", command), e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temporary file; the system cleans it
                }
            }
        }
    }
}
