package io.jenkins.plugins.mlops.train;

import java.util.List;

/**
 * How a training run ended, wherever it ran: what {@link FailureClassifier} reads.
 *
 * @param exitCode the exit status (128 + N when killed by signal N), or {@code null} when unknown
 * @param signal the signal that killed it, or {@code null}
 * @param timedOut whether mlops stopped it at the time limit
 * @param terminationReason Kubernetes' reason for a terminated container (e.g. {@code OOMKilled}), or {@code null}
 * @param logTail the last lines of its log
 */
public record RunEnding(Integer exitCode, String signal, boolean timedOut, String terminationReason, List<String> logTail) {

    public RunEnding {
        logTail = List.copyOf(logTail);
    }

    public static RunEnding of(ProcessOutcome outcome) {
        return new RunEnding(outcome.exitCode(), outcome.signal(), outcome.timedOut(), null, outcome.logTail());
    }
}
