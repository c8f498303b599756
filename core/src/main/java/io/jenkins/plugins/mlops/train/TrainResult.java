package io.jenkins.plugins.mlops.train;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.time.Instant;
import java.util.List;

/**
 * The result of {@code trainOnGpu} ({@code train.json}, schema {@value #SCHEMA}).
 *
 * @param backend where it ran
 * @param jobName the Kubernetes Job, or {@code local}
 * @param namespace the Job's namespace, or {@code null} for a local run
 * @param image the container image, or {@code null} for a local run
 * @param gpus GPUs asked for
 * @param gpuType GPU product asked for, or {@code null}
 * @param command the training command, secrets masked
 * @param outcome how the job ended
 * @param failure the training script's failure class, or {@code null}
 * @param failureMessage one sentence on what went wrong, or {@code null}
 * @param exitCode the final attempt's exit code, or {@code null} when the container never exited
 * @param timeoutS the time limit
 * @param attempts every attempt (a pod on Kubernetes)
 * @param preemptions attempts lost to preemption or eviction
 * @param logExcerpt the lines that show the failure, or the last lines of a successful run
 * @param gpuUsage per-GPU utilisation and memory of a local run (empty on Kubernetes or without nvidia-smi)
 * @param peakMemoryBytes peak resident memory of a local run's process tree, or {@code null} on Kubernetes
 */
@JsonPropertyOrder({"schema", "step", "status", "started", "duration_s", "summary", "checks"})
public record TrainResult(String schema, String step, Status status, Instant started, double durationS, String summary,
        List<Check> checks, TrainBackend backend, String jobName, String namespace, String image, int gpus,
        String gpuType, List<String> command, AttemptOutcome outcome, FailureKind failure, String failureMessage,
        Integer exitCode, double timeoutS, List<TrainAttempt> attempts, long preemptions, List<String> logExcerpt,
        List<GpuUsage> gpuUsage, Long peakMemoryBytes) implements StepResult {

    public static final String SCHEMA = "mlops.train/v1";
    public static final String STEP = "trainOnGpu";

    public TrainResult {
        checks = List.copyOf(checks);
        command = List.copyOf(command);
        attempts = List.copyOf(attempts);
        logExcerpt = List.copyOf(logExcerpt);
        gpuUsage = List.copyOf(gpuUsage);
    }
}
