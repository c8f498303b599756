package io.jenkins.plugins.mlops.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jenkins.plugins.mlops.k8s.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The YAML that {@code trainOnGpu { }} hands to the kubernetes plugin and the Job of
 * {@code mlops train}, for every combination of the options that shape them, accepted by the
 * API server's own validation (server-side dry run: admitted, nothing stored).
 */
class GpuPodSpecOnClusterTest {
    static TestCluster cluster;
    static String namespace;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.get();
        namespace = cluster.namespace("templates");
    }

    @Test
    void everyOptionCombinationIsAcceptedByTheApiServer() {
        List<String> rejected = new ArrayList<>();
        int combinations = 0;
        for (int gpus : new int[] {0, 1, 8}) {
            for (String gpuType : Arrays.asList(null, TestCluster.A100)) {
                for (String cpu : Arrays.asList(null, "3500m")) {
                    for (String memory : Arrays.asList(null, "32Gi")) {
                        for (String shm : List.of("8Gi", "64Mi")) {
                            for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("WANDB_MODE", "offline"))) {
                                for (List<SecretEnv> secrets : List.of(List.<SecretEnv>of(),
                                        List.of(SecretEnv.parse("MLFLOW_TRACKING_TOKEN=mlflow:token")))) {
                                    for (Duration timeout : List.of(Duration.ofMinutes(30), Duration.ofDays(7))) {
                                        GpuPodSpec spec = new GpuPodSpec("mlops-train-" + combinations, namespace,
                                                "ghcr.io/acme/train:1", List.of("sleep", "infinity"), gpus, gpuType, cpu, memory,
                                                shm, timeout, 3, env, secrets, Map.of("team", "ml"));
                                        String options = "gpus=" + gpus + " gpuType=" + gpuType + " cpu=" + cpu + " memory="
                                                + memory + " shmSize=" + shm + " env=" + env + " secretEnv=" + secrets
                                                + " timeout=" + timeout;
                                        dryRun(podFromTemplate(spec), options, rejected);
                                        dryRun(Serialization.unmarshal(spec.jobYaml(), Job.class), options, rejected);
                                        combinations++;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        assertThat(rejected).as("rejected by kube-apiserver").isEmpty();
        assertThat(combinations).isEqualTo(384);
    }

    /** The dry run validates: a GPU request unequal to its limit, which a mock stores, is refused. */
    @Test
    void theDryRunRefusesWhatTheServerWould() {
        GpuPodSpec spec = new GpuPodSpec("mlops-train-bad", namespace, "ghcr.io/acme/train:1", List.of("sleep", "infinity"), 2,
                null, null, null, "8Gi", Duration.ofHours(1), 0, Map.of(), List.of(), Map.of());
        Pod pod = podFromTemplate(spec);
        pod.getSpec().getContainers().get(0).getResources().setRequests(Map.of(GpuPodSpec.GPU_RESOURCE, new Quantity("1")));

        assertThatThrownBy(() -> cluster.admin().pods().inNamespace(namespace).resource(pod).dryRun().create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
                .hasMessageContaining("must be equal to");
    }

    /** The pod the kubernetes plugin would create from the template: named by it, in the step's namespace. */
    private static Pod podFromTemplate(GpuPodSpec spec) {
        Pod pod = Serialization.unmarshal(spec.podTemplateYaml(), Pod.class);
        pod.getMetadata().setName(spec.name());
        pod.getMetadata().setNamespace(namespace);
        return pod;
    }

    private static void dryRun(Object resource, String options, List<String> rejected) {
        try {
            if (resource instanceof Pod pod) {
                cluster.admin().pods().inNamespace(namespace).resource(pod).dryRun().create();
            } else {
                Job job = (Job) resource;
                job.getMetadata().setNamespace(namespace);
                cluster.admin().batch().v1().jobs().inNamespace(namespace).resource(job).dryRun().create();
            }
        } catch (KubernetesClientException e) {
            rejected.add(resource.getClass().getSimpleName() + " with " + options + ": " + e.getMessage());
        }
    }
}
