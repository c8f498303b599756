package io.jenkins.plugins.mlops.train;

import io.jenkins.plugins.mlops.process.MemoryLimitMechanism;
import io.jenkins.plugins.mlops.process.ProcessOutcome;
import java.util.List;

/**
 * How a training run ended, wherever it ran: what {@link FailureClassifier} reads.
 *
 * @param exitCode the exit status (128 + N when killed by signal N), or {@code null} when unknown
 * @param signal the signal that killed it, or {@code null}
 * @param timedOut whether mlops stopped it at the time limit
 * @param terminationReason Kubernetes' reason for a terminated container (e.g. {@code OOMKilled}), or {@code null}
 * @param logTail the last lines of its log
 * @param memoryKill how a local run was killed at its memory limit, or {@code null} when it was not
 */
public record RunEnding(Integer exitCode, String signal, boolean timedOut, String terminationReason, List<String> logTail,
        MemoryKill memoryKill) {

    /**
     * @param peakBytes the most resident memory seen
     * @param limitBytes the limit
     * @param mechanism what enforced it
     */
    public record MemoryKill(long peakBytes, long limitBytes, MemoryLimitMechanism mechanism) {}

    public RunEnding {
        logTail = List.copyOf(logTail);
    }

    public RunEnding(Integer exitCode, String signal, boolean timedOut, String terminationReason, List<String> logTail) {
        this(exitCode, signal, timedOut, terminationReason, logTail, null);
    }

    /** @param memoryLimitBytes the limit the run had, 0 for none */
    public static RunEnding of(ProcessOutcome outcome, long memoryLimitBytes) {
        MemoryKill kill = outcome.memoryLimitExceeded()
                ? new MemoryKill(outcome.peakMemoryBytes(), memoryLimitBytes, outcome.memoryLimitMechanism()) : null;
        return new RunEnding(outcome.exitCode(), outcome.signal(), outcome.timedOut(), null, outcome.logTail(), kill);
    }
}
