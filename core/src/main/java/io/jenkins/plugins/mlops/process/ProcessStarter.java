package io.jenkins.plugins.mlops.process;

import java.util.function.Consumer;

/**
 * Starts a command and waits for its end: where the command runs is the starter's business. The
 * default is {@link LocalProcessLauncher} (this machine, a process group, a memory cgroup); a Jenkins
 * build supplies one that launches through the step's {@code Launcher}, so that {@code container()}
 * and other launcher decorations decide where it runs.
 */
@FunctionalInterface
public interface ProcessStarter {

    /**
     * Runs the command to its end or its time limit.
     *
     * @param console receives each line of output (stdout and stderr merged, in order) as it comes
     * @throws io.jenkins.plugins.mlops.io.BadInputException when the program cannot be started
     * @throws java.util.concurrent.CancellationException when this thread is interrupted; the command is stopped first
     */
    ProcessOutcome run(ProcessSpec spec, Consumer<String> console);

    /**
     * Whether the command runs on this machine, seeing its PATH and its temporary directory: a
     * starter that runs it elsewhere (another container of a pod) shares only the working directory,
     * so a caller puts scratch files there and leaves finding the program to the target.
     */
    default boolean local() {
        return true;
    }
}
