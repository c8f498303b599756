package io.jenkins.plugins.mlops.train;

/** Where {@code trainOnGpu} runs the training command. */
public enum TrainBackend {
    /** A Kubernetes Job built from {@link GpuPodSpec}. */
    KUBERNETES,
    /** This machine (a GPU agent), with {@code CUDA_VISIBLE_DEVICES} set. */
    LOCAL
}
