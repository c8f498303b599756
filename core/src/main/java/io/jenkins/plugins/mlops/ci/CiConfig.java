package io.jenkins.plugins.mlops.ci;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the {@code ci} step runs.
 *
 * @param commands the project's checks in order (lint, format, types, unit tests); all of them run
 * @param timeout the time limit of each command
 * @param workingDirectory where the commands run, or {@code null} for the current directory
 * @param junitDir where each command's JUnit XML goes ({@code ci-NAME-junit.xml})
 */
public record CiConfig(List<CheckCommand> commands, Duration timeout, String workingDirectory, String junitDir)
        implements Serializable {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    public CiConfig {
        commands = commands == null ? List.of() : List.copyOf(commands);
        if (commands.isEmpty()) {
            throw new BadInputException("ci: no command given, e.g. --command 'tests=pytest --junitxml {junit}'");
        }
        Set<String> names = new HashSet<>();
        for (CheckCommand command : commands) {
            if (!names.add(command.name())) {
                throw new BadInputException("ci: two commands are named '" + command.name() + "'; each names its own JUnit file");
            }
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new BadInputException("ci: the timeout must be longer than zero");
        }
        Objects.requireNonNull(junitDir, "junitDir");
    }
}
