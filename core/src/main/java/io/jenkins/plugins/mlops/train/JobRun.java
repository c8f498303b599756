package io.jenkins.plugins.mlops.train;

import java.io.Serializable;
import java.util.List;

/**
 * What a launcher reports about a training job.
 *
 * @param jobName the Kubernetes Job (or {@code local})
 * @param namespace its namespace, or {@code null} for a local run
 * @param outcome how the job as a whole ended
 * @param message one sentence on that
 * @param attempts every attempt in order
 * @param logTail the last lines of the final attempt's log
 * @param failure the training script's failure, classified from the final attempt, or {@code null}
 */
public record JobRun(String jobName, String namespace, AttemptOutcome outcome, String message,
        List<TrainAttempt> attempts, List<String> logTail, Failure failure) implements Serializable {

    public JobRun {
        attempts = List.copyOf(attempts);
        logTail = List.copyOf(logTail);
    }

    public long preemptions() {
        return attempts.stream().filter(a -> a.outcome() == AttemptOutcome.PREEMPTED).count();
    }
}
