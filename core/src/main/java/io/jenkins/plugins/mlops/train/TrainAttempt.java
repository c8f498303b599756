package io.jenkins.plugins.mlops.train;

import java.io.Serializable;
import java.time.Instant;

/**
 * One attempt of a training job.
 *
 * @param pod the pod's name ({@code local} for a local run)
 * @param node the node it ran on, or {@code null} when never scheduled
 * @param gpuType the GPU product of that node (its {@code nvidia.com/gpu.product} label), or {@code null}
 * @param created when the attempt began (pod created)
 * @param started when the training container started, or {@code null} when it never did
 * @param ended when it ended
 * @param outcome how it ended
 * @param exitCode the training container's exit code, or {@code null} when it never exited
 * @param reason Kubernetes' short reason (e.g. {@code OOMKilled}, {@code PreemptionByScheduler}, {@code ErrImagePull})
 * @param message Kubernetes' or mlops' explanation
 * @param waitingS seconds from creation to the container's start (scheduling, image pull)
 * @param runningS seconds the container ran
 */
public record TrainAttempt(String pod, String node, String gpuType, Instant created, Instant started, Instant ended,
        AttemptOutcome outcome, Integer exitCode, String reason, String message, double waitingS, double runningS)
        implements Serializable {}
