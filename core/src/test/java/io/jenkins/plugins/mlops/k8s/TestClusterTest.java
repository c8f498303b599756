package io.jenkins.plugins.mlops.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fixture itself: what the Kubernetes tests rely on holds on the real control plane. */
class TestClusterTest {
    static TestCluster cluster;
    /** Pods left running would hold GPUs that other test classes in this JVM count on. */
    @RegisterExtension
    final ClusterNamespace test = new ClusterNamespace("fixture");

    @BeforeAll
    static void start() {
        cluster = TestCluster.get();
    }

    @Test
    void theNodePoolsAdvertiseTheirGpusProductsAndTaints() {
        List<Node> nodes = cluster.admin().nodes().list().getItems();

        assertThat(nodes).extracting(n -> n.getMetadata().getName())
                .containsExactlyInAnyOrder("gpu-a100-0", "gpu-a100-1", "gpu-h100-0", "cpu-0", "cpu-1");
        assertThat(nodes).filteredOn(n -> n.getMetadata().getName().startsWith("gpu-")).allSatisfy(n -> {
            assertThat(n.getStatus().getAllocatable()).containsEntry("nvidia.com/gpu", new Quantity("8"));
            assertThat(n.getSpec().getTaints()).anySatisfy(t -> {
                assertThat(t.getKey()).isEqualTo("nvidia.com/gpu");
                assertThat(t.getEffect()).isEqualTo("NoSchedule");
            });
        });
        assertThat(nodes).filteredOn(n -> n.getMetadata().getName().startsWith("cpu-"))
                .allSatisfy(n -> assertThat(n.getStatus().getAllocatable()).doesNotContainKey("nvidia.com/gpu"));
        System.out.println("test cluster started in " + cluster.startup().toMillis() + " ms; resident KiB "
                + cluster.residentKib());
    }

    @Test
    void mlopsMayRunJobsOnlyWhereItsRoleIsBound() {
        String allowed = test.name();
        String denied = cluster.namespaceWithoutRights("rbac-no");
        try (KubernetesClient mlops = cluster.mlopsClient()) {
            assertThat(mlops.batch().v1().jobs().inNamespace(allowed).list().getItems()).isEmpty();

            assertThatThrownBy(() -> mlops.batch().v1().jobs().inNamespace(denied).list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403))
                    .hasMessageContaining("cannot list resource \"jobs\"");
            // Its role names what mlops does, nothing more: no Secrets, even where it is bound.
            assertThatThrownBy(() -> mlops.secrets().inNamespace(allowed).list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        }
    }

    @Test
    void aGpuPodRunsOnANodeOfItsProductAndEndsAsTheTestSays() {
        String namespace = test.name();
        cluster.admin().pods().inNamespace(namespace).resource(gpuPod("ok", TestCluster.H100)).create();
        cluster.admin().pods().inNamespace(namespace).resource(gpuPod("bad", TestCluster.A100)).create();

        Pod ok = cluster.awaitPod(namespace, TestCluster.running().and(named("ok")), "pod ok running");
        Pod bad = cluster.awaitPod(namespace, TestCluster.running().and(named("bad")), "pod bad running");
        assertThat(ok.getSpec().getNodeName()).isEqualTo("gpu-h100-0");
        assertThat(bad.getSpec().getNodeName()).startsWith("gpu-a100-");

        cluster.endPod(namespace, "ok", 0, null);
        cluster.endPod(namespace, "bad", 137, "OOMKilled");

        cluster.awaitPod(namespace, named("ok").and(p -> "Succeeded".equals(p.getStatus().getPhase())), "pod ok succeeded");
        Pod failed = cluster.awaitPod(namespace, named("bad").and(p -> "Failed".equals(p.getStatus().getPhase())),
                "pod bad failed");
        assertThat(failed.getStatus().getContainerStatuses()).singleElement().satisfies(c -> {
            assertThat(c.getState().getTerminated().getExitCode()).isEqualTo(137);
            assertThat(c.getState().getTerminated().getReason()).isEqualTo("OOMKilled");
        });
    }

    @Test
    void theTrainingLogIsServedThroughTheApiServer() {
        String namespace = test.name();
        cluster.clearTrainingLog();
        cluster.appendTrainingLog("epoch 1/2 loss=0.5", "epoch 2/2 loss=0.25");
        cluster.admin().pods().inNamespace(namespace).resource(gpuPod("talks", null)).create();
        cluster.awaitPod(namespace, TestCluster.running().and(named("talks")), "pod talks running");

        try (KubernetesClient mlops = cluster.mlopsClient()) {
            String log = mlops.pods().inNamespace(namespace).withName("talks").inContainer("train").getLog();

            assertThat(log).isEqualTo("epoch 1/2 loss=0.5\nepoch 2/2 loss=0.25\n");
        }
    }

    @Test
    void aDeletedPodEndsAsAKubeletWouldAndIsRemoved() {
        String namespace = test.name();
        cluster.admin().pods().inNamespace(namespace).resource(gpuPod("gone", null)).create();
        cluster.awaitPod(namespace, TestCluster.running().and(named("gone")), "pod gone running");

        cluster.admin().pods().inNamespace(namespace).withName("gone").delete();

        TestCluster.await(() -> cluster.admin().pods().inNamespace(namespace).withName("gone").get() == null, "pod gone removed");
    }

    static Pod gpuPod(String name, String product) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec()
                    .withRestartPolicy("Never")
                    .withNodeSelector(product == null ? Map.of() : Map.of("nvidia.com/gpu.product", product))
                    .addNewToleration().withKey("nvidia.com/gpu").withOperator("Exists").withEffect("NoSchedule").endToleration()
                    .addNewContainer().withName("train").withImage("ghcr.io/acme/train:1")
                        .withNewResources().addToLimits("nvidia.com/gpu", new Quantity("1")).endResources()
                    .endContainer()
                .endSpec().build();
    }

    private static java.util.function.Predicate<Pod> named(String name) {
        return p -> name.equals(p.getMetadata().getName());
    }
}
