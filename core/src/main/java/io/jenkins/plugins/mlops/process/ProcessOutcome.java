package io.jenkins.plugins.mlops.process;

import java.io.Serializable;
import java.util.List;

/**
 * How a local process ended.
 *
 * @param exitCode the exit status as a shell reports it (128 + N when killed by signal N)
 * @param signal the signal that killed it (e.g. {@code SIGKILL}), or {@code null} when it exited
 * @param timedOut whether mlops stopped it at the time limit
 * @param durationS wall time in seconds
 * @param peakMemoryBytes the largest resident memory of the process tree that was seen
 * @param memoryLimitMechanism how the memory limit was enforced
 * @param memoryLimitExceeded whether the tree went over its memory limit and was killed for it
 * @param logTail the last lines of its output (stdout and stderr together)
 * @param logLines how many lines it printed in all
 */
public record ProcessOutcome(int exitCode, String signal, boolean timedOut, double durationS, long peakMemoryBytes,
        MemoryLimitMechanism memoryLimitMechanism, boolean memoryLimitExceeded, List<String> logTail, long logLines) implements Serializable {

    public ProcessOutcome {
        logTail = List.copyOf(logTail);
    }
}
