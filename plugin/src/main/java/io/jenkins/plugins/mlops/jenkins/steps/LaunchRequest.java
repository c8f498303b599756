package io.jenkins.plugins.mlops.jenkins.steps;

import io.jenkins.plugins.mlops.process.ProcessSpec;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A {@link ProcessSpec} as it crosses the remoting channel from the agent's engine to the
 * controller's {@code Launcher}: paths as the agent spells them (a {@code Path} is not serializable).
 *
 * @param command the program and its arguments, as they are
 * @param environment the variables over the target's own
 * @param workingDirectory the agent's path of the working directory, or null for the launcher's default
 * @param timeoutMillis after this the command is killed
 * @param memoryLimitBytes the memory limit, 0 for none
 */
record LaunchRequest(List<String> command, Map<String, String> environment, String workingDirectory,
        long timeoutMillis, long memoryLimitBytes) implements Serializable {

    LaunchRequest {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    static LaunchRequest of(ProcessSpec spec) {
        return new LaunchRequest(spec.command(), spec.environment(),
                spec.workingDirectory() == null ? null : spec.workingDirectory().toString(),
                spec.timeout().toMillis(), spec.memoryLimitBytes());
    }
}
