package io.jenkins.plugins.mlops.process;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A command to run locally under limits.
 *
 * @param command the program and its arguments, passed as they are (no shell)
 * @param environment variables added to the inherited environment
 * @param workingDirectory where it runs, or {@code null} for the current directory
 * @param timeout after this the whole process tree is stopped
 * @param memoryLimitBytes the limit on the resident memory of the process tree, or 0 for none
 * @param killGrace how long a timed-out process gets between SIGTERM and SIGKILL
 */
public record ProcessSpec(List<String> command, Map<String, String> environment, Path workingDirectory,
        Duration timeout, long memoryLimitBytes, Duration killGrace) implements Serializable {

    public ProcessSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(killGrace, "killGrace");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command is empty");
        }
        if (memoryLimitBytes < 0) {
            throw new IllegalArgumentException("memoryLimitBytes must not be negative");
        }
    }
}
