package io.jenkins.plugins.mlops.train;

import io.jenkins.plugins.mlops.io.Durations;
import io.jenkins.plugins.mlops.k8s.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One combination of the options that shape a GPU pod, as a user writes them ({@code null}: the
 * option left out); {@link #all()} is every combination, for the tests that show kube-apiserver
 * admits each pod (core's {@link GpuPodSpec} and the plugin's step).
 */
public record GpuPodOptions(int gpus, String gpuType, String cpu, String memory, String shmSize, String env,
        String secretEnv, String timeout) {

    /** 3 x 2^7 = 384 combinations: no GPU, one, a whole node; each other option left out or given. */
    public static List<GpuPodOptions> all() {
        List<GpuPodOptions> all = new ArrayList<>();
        for (int gpus : new int[] {0, 1, TestCluster.GPUS_PER_NODE}) {
            for (String gpuType : Arrays.asList(null, TestCluster.A100)) {
                for (String cpu : Arrays.asList(null, "3500m")) {
                    for (String memory : Arrays.asList(null, "32Gi")) {
                        for (String shmSize : Arrays.asList(null, "64Mi")) {
                            for (String env : Arrays.asList(null, "WANDB_MODE=offline\nSEED=7")) {
                                for (String secretEnv : Arrays.asList(null, "MLFLOW_TRACKING_TOKEN=mlflow:token")) {
                                    for (String timeout : Arrays.asList(null, "30m")) {
                                        all.add(new GpuPodOptions(gpus, gpuType, cpu, memory, shmSize, env, secretEnv, timeout));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return all;
    }

    /** The spec core makes of these options, with the step's defaults for those left out (8Gi of /dev/shm, 24 h). */
    public GpuPodSpec spec(String name, String namespace) {
        Map<String, String> variables = new LinkedHashMap<>();
        if (env != null) {
            for (String pair : env.split("\n")) {
                variables.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        List<SecretEnv> secrets = secretEnv == null ? List.of() : List.of(SecretEnv.parse(secretEnv));
        Duration deadline = timeout == null ? Duration.ofHours(24) : Durations.parse(timeout, "--timeout");
        return new GpuPodSpec(name, namespace, "ghcr.io/acme/train:1", List.of("sleep", "infinity"), gpus, gpuType, cpu, memory,
                shmSize == null ? "8Gi" : shmSize, deadline, 3, variables, secrets, Map.of("team", "ml"));
    }
}
