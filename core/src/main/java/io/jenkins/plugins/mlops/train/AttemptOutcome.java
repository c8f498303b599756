package io.jenkins.plugins.mlops.train;

/** How one attempt (one pod, or one local run) of a training job ended. */
public enum AttemptOutcome {
    SUCCEEDED,
    /** The training container exited non-zero (or was OOMKilled). */
    FAILED,
    /** The pod was preempted, evicted or lost with its node: retried while retries are left. */
    PREEMPTED,
    /** The image could not be pulled (ErrImagePull, ImagePullBackOff, InvalidImageName). */
    IMAGE_PULL_ERROR,
    /** The container could not be created, e.g. a Secret or ConfigMap it references is missing. */
    CONFIG_ERROR,
    /** No node could take the pod within the grace period (no free GPU of that type). */
    UNSCHEDULABLE,
    /** The time limit passed; the Job was deleted. */
    TIMED_OUT;

    public boolean isSuccess() {
        return this == SUCCEEDED;
    }
}
