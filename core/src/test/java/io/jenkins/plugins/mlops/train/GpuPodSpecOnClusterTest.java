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
        List<GpuPodOptions> combinations = GpuPodOptions.all();
        for (int i = 0; i < combinations.size(); i++) {
            GpuPodSpec spec = combinations.get(i).spec("mlops-train-" + i, namespace);
            dryRun(podFromTemplate(spec), combinations.get(i), rejected);
            dryRun(Serialization.unmarshal(spec.jobYaml(), Job.class), combinations.get(i), rejected);
        }

        assertThat(rejected).as("rejected by kube-apiserver").isEmpty();
        assertThat(combinations).hasSize(384);
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

    private static void dryRun(Object resource, GpuPodOptions options, List<String> rejected) {
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
