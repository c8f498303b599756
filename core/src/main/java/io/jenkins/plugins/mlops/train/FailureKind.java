package io.jenkins.plugins.mlops.train;

/** Why a training run failed, in the words an ML engineer would use to triage it. */
public enum FailureKind {
    /** Python MemoryError, CUDA/TensorFlow out of memory, killed by the memory limit or the OOM killer. */
    OUT_OF_MEMORY("ran out of memory"),
    /** numpy, PyTorch, TensorFlow or scikit-learn refused arrays of incompatible shapes. */
    SHAPE_MISMATCH("hit a shape mismatch"),
    /** A module or shared library the script imports is not installed. */
    MISSING_DEPENDENCY("is missing a dependency"),
    /** The loss became NaN or infinite: training diverged. */
    NAN_LOSS("produced a NaN loss"),
    /** It did not finish within the time limit and was stopped. */
    TIMEOUT("timed out"),
    /** It exited 0 but did not write an output it was expected to write. */
    MISSING_OUTPUT("did not write its output"),
    /** Any other failure. */
    CRASH("crashed");

    private final String phrase;

    FailureKind(String phrase) {
        this.phrase = phrase;
    }

    /** Completes "the training script ...". */
    public String phrase() {
        return phrase;
    }
}
