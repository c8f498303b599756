package io.jenkins.plugins.mlops.train;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code trainOnGpu} runs.
 *
 * @param backend where it runs
 * @param command the training command (argv, no shell)
 * @param gpus GPUs to use
 * @param gpuType GPU product (NVIDIA feature-discovery name), Kubernetes only; {@code null} for any
 * @param image container image, Kubernetes only
 * @param cpu CPU request and limit (Kubernetes quantity), or {@code null}
 * @param memory memory request and limit (Kubernetes quantity), or {@code null}
 * @param shmSize size of {@code /dev/shm} in the pod
 * @param timeout time limit over all attempts
 * @param retriesOnPreemption how often a preempted or evicted pod is replaced
 * @param namespace Kubernetes namespace, or {@code null} for the client's
 * @param name prefix of the Job's name; a random suffix makes each run's Job unique
 * @param env environment variables for the training command
 * @param secretEnv environment variables from Kubernetes Secrets
 * @param workingDirectory where a local run starts, or {@code null} for the current directory
 * @param unschedulableGrace how long a pod may wait for a node before the run fails
 */
public record TrainConfig(TrainBackend backend, List<String> command, int gpus, String gpuType, String image, String cpu,
        String memory, String shmSize, Duration timeout, int retriesOnPreemption, String namespace, String name,
        Map<String, String> env, List<SecretEnv> secretEnv, String workingDirectory, Duration unschedulableGrace)
        implements Serializable {

    /** Room for the "-xxxxx" suffix within the 63 characters of a Kubernetes label value. */
    static final int MAX_NAME_PREFIX = 57;

    public TrainConfig {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(unschedulableGrace, "unschedulableGrace");
        command = List.copyOf(command);
        env = Map.copyOf(env);
        secretEnv = List.copyOf(secretEnv);
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw new BadInputException("no training command given (put it after --, e.g. -- python train.py)");
        }
        if (gpus < 0) {
            throw new BadInputException("--gpus must not be negative, was " + gpus);
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new BadInputException("--timeout must be longer than zero");
        }
        if (name == null || name.length() > MAX_NAME_PREFIX || !name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
            throw new BadInputException("--name: '" + name + "' must be lower-case letters, digits and '-', at most "
                    + MAX_NAME_PREFIX + " characters");
        }
        // Checked here, not by the API server: a refused Job would be exit 3, and these are the user's typos.
        if (namespace != null && (namespace.length() > 63 || !namespace.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"))) {
            throw new BadInputException("--namespace: '" + namespace + "' is not a Kubernetes namespace (lower-case"
                    + " letters, digits and '-', at most 63 characters)");
        }
        if (gpuType != null && (gpuType.length() > 63 || !gpuType.matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?"))) {
            throw new BadInputException("--gpu-type: '" + gpuType + "' cannot be a node label value (letters, digits,"
                    + " '-', '_', '.', at most 63 characters), e.g. NVIDIA-A100-SXM4-80GB");
        }
        if (backend == TrainBackend.LOCAL && !secretEnv.isEmpty()) {
            throw new BadInputException("--secret-env reads Kubernetes Secrets; for --backend local pass the variable"
                    + " through the environment (e.g. Jenkins withCredentials)");
        }
    }

    /** The pod of this run, for a Job named {@code jobName}. */
    public GpuPodSpec podSpec(String jobName) {
        return new GpuPodSpec(jobName, namespace, image, command, gpus, gpuType, cpu, memory, shmSize, timeout,
                retriesOnPreemption, env, secretEnv, Map.of());
    }
}
