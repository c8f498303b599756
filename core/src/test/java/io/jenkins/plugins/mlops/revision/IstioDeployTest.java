package io.jenkins.plugins.mlops.revision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jenkins.plugins.mlops.deploy.istio.IstioTrafficBackend;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.k8s.ClusterNamespace;
import io.jenkins.plugins.mlops.k8s.TestCluster;
import io.jenkins.plugins.mlops.packaging.ImageDigests;
import io.jenkins.plugins.mlops.registry.LocalRegistry;
import io.jenkins.plugins.mlops.registry.ModelSource;
import io.jenkins.plugins.mlops.registry.Registration;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deployModel} in Istio mode on the real API server ({@link TestCluster}, kwok's pods), as
 * the mlops service account with exactly the Role of cluster-setup.yaml: the candidate by digest
 * next to the user's VirtualService and DestinationRule, a second deploy that changes nothing,
 * canaryRollout's backend moving it, the rollback, and every refusal leaving the namespace as it was.
 */
class IstioDeployTest {
    private static final String HOST = "churn";
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final String IMAGE = "registry.example.com/team/churn@" + DIGEST;

    @RegisterExtension
    final ClusterNamespace models = new ClusterNamespace("deploy");
    @TempDir
    Path dir;
    TestCluster cluster;
    KubernetesClient admin;
    String namespace;

    @BeforeEach
    void setUp() {
        cluster = models.cluster();
        admin = cluster.admin();
        namespace = models.name();
        LocalRegistry registry = new LocalRegistry(dir.resolve("models"), line -> { });
        registry.register(new Registration("churn", ModelSource.parse("s3://bucket/churn/1"), null, List.of("staging"),
                Map.of(), Map.of(), null, null, null, "deploy-test-1"));
        registry.setTag("churn", 1, ImageDigests.VERSION_TAG, IMAGE);
    }

    @Test
    void theCandidateRunsByDigestAtWeightZeroASecondDeployChangesNothingAndRollbackRemovesIt() {
        createUsersResources(HOST);
        DeployResult result = deploy(params());

        assertThat(result.candidateSubset()).isEqualTo("v1");
        assertThat(result.workload()).isEqualTo("churn-v1");
        assertThat(result.image()).isEqualTo(IMAGE);
        Deployment deployment = admin.apps().deployments().inNamespace(namespace).withName("churn-v1").get();
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo(IMAGE);
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ping");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("app", "churn")
                .containsEntry("version", "v1");
        assertThat(deployment.getMetadata().getManagedFields()).anyMatch(f -> "mlops".equals(f.getManager())
                && "Apply".equals(f.getOperation()));
        assertThat(deployment.getStatus().getReadyReplicas()).isEqualTo(1);
        Service service = admin.services().inNamespace(namespace).withName("churn-v1").get();
        assertThat(service.getSpec().getSelector()).isEqualTo(Map.of("app", "churn", "version", "v1"));
        assertThat(subsets()).containsExactly("stable", "v1");
        assertThat(weights(0)).containsExactly(Map.entry("stable", 100), Map.entry("v1", 0));
        assertThat(httpRoutes().get(1).toString()).contains("legacy").doesNotContain("v1");

        List<String> versions = resourceVersions();
        DeployResult again = deploy(params());
        assertThat(again.workload()).isEqualTo("churn-v1");
        assertThat(resourceVersions()).as("Deployment, Service, DestinationRule, VirtualService").isEqualTo(versions);

        // What canaryRollout --backend istio --candidate-subset v1 does with it.
        new IstioTrafficBackend(models.mlops(), namespace, "churn", HOST, "stable", result.candidateSubset(), null)
                .setCandidateWeight(20);
        assertThat(weights(0)).containsExactly(Map.entry("stable", 80), Map.entry("v1", 20));

        DeployResult rolledBack = deploy(params().set("rollback", true));
        assertThat(rolledBack.rolledBack()).isTrue();
        assertThat(weights(0)).containsExactly(Map.entry("stable", 100));
        assertThat(subsets()).containsExactly("stable");
        assertThat(admin.apps().deployments().inNamespace(namespace).withName("churn-v1").get()).isNull();
        assertThat(admin.services().inNamespace(namespace).withName("churn-v1").get()).isNull();
        // A second rollback finds nothing to remove and says so by succeeding.
        assertThat(deploy(params().set("rollback", true)).rolledBack()).isTrue();
    }

    @Test
    void anImageWhoseDigestTheVersionDoesNotNameIsRefusedBeforeAnythingIsWritten() {
        createUsersResources(HOST);
        List<String> before = userResourceVersions();
        assertThatThrownBy(() -> deploy(params().set("image", "registry.example.com/team/churn@sha256:" + "cd".repeat(32))))
                .isInstanceOf(BadInputException.class).hasMessageContaining("does not name");
        assertThatThrownBy(() -> deploy(params().set("image", "registry.example.com/team/churn:latest")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("names no digest");
        assertThatThrownBy(() -> deploy(params().set("image", "Not An Image"))).isInstanceOf(BadInputException.class);
        assertNothingApplied(before);
    }

    @Test
    void aVirtualServiceWithoutTheHostIsBadInputAndNothingIsApplied() {
        createUsersResources("other");
        List<String> before = userResourceVersions();
        assertThatThrownBy(() -> deploy(params())).isInstanceOf(BadInputException.class)
                .hasMessageContaining("VirtualService " + namespace + "/churn has no HTTP route to host churn");
        assertNothingApplied(before);
    }

    /** A user who may see every namespace learns that it does not exist; a namespace-scoped grant only sees a refusal. */
    @Test
    void anUnknownNamespaceIsBadInputOrARefusalThatSaysItMayNotExist() {
        assertThatThrownBy(() -> deploy(params().set("namespace", "no-such-namespace")
                .set("kubeconfig", cluster.adminKubeconfig().toString())))
                .isInstanceOf(BadInputException.class).hasMessageContaining("namespace: 'no-such-namespace' does not exist");
        assertThatThrownBy(() -> deploy(params().set("namespace", "no-such-namespace")))
                .isInstanceOf(InfrastructureException.class).hasMessageContaining("cannot patch resource \"deployments\"")
                .hasMessageContaining("or namespace 'no-such-namespace' does not exist");
    }

    @Test
    void rbacDenialNamesTheVerbAndResource() {
        String denied = cluster.namespaceWithoutRights("deploy-denied");
        try {
            assertThatThrownBy(() -> deploy(params().set("namespace", denied))).isInstanceOf(InfrastructureException.class)
                    .hasMessageContaining("cannot patch resource \"deployments\"");
            assertThat(admin.apps().deployments().inNamespace(denied).list().getItems()).isEmpty();
        } finally {
            admin.namespaces().withName(denied).delete();
        }
    }

    /** A pod no node can take never becomes ready: the deadline names the scheduler's reason and removes the candidate. */
    @Test
    void aCandidateNotReadyInTimeIsRemovedAndTheReasonNamed() {
        createUsersResources(HOST);
        List<String> before = userResourceVersions();
        assertThatThrownBy(() -> deploy(params().set("cpu", "1000").set("readyTimeout", "10s")))
                .isInstanceOf(Readiness.NotReadyException.class)
                .hasMessageContaining("Deployment " + namespace + "/churn-v1 was not ready within 10 s")
                .hasMessageContaining("Unschedulable").hasMessageContaining("Insufficient cpu")
                .hasMessageContaining("removed");
        assertNothingApplied(before);
    }

    private void assertNothingApplied(List<String> userResourceVersions) {
        assertThat(admin.apps().deployments().inNamespace(namespace).list().getItems()).isEmpty();
        assertThat(admin.services().inNamespace(namespace).list().getItems()).isEmpty();
        assertThat(userResourceVersions()).isEqualTo(userResourceVersions);
    }

    private io.jenkins.plugins.mlops.params.ParameterBuilder<DeployParameters> params() {
        return DeployParameters.builder().set("model", "models:/churn/1").set("namespace", namespace)
                .set("virtualService", "churn").set("kubeconfig", cluster.mlopsKubeconfig().toString())
                .set("readyTimeout", "120s");
    }

    private DeployResult deploy(io.jenkins.plugins.mlops.params.ParameterBuilder<DeployParameters> params) {
        return DeployStep.run(params.build(), "file:" + dir.resolve("models"), RegistryCredentials.NONE, dir, line -> { });
    }

    private void createUsersResources(String host) {
        create(IstioTrafficBackend.VIRTUAL_SERVICE, """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: churn
                spec:
                  hosts: [%1$s]
                  http:
                  - match:
                    - uri: {prefix: /invocations}
                    route:
                    - destination: {host: %1$s, subset: stable}
                  - route:
                    - destination: {host: legacy, subset: legacy}
                """.formatted(host));
        create(IstioRevision.DESTINATION_RULE, """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata:
                  name: churn
                spec:
                  host: churn
                  subsets:
                  - name: stable
                    labels: {app: churn, version: stable}
                """);
    }

    private void create(ResourceDefinitionContext kind, String yaml) {
        admin.genericKubernetesResources(kind).inNamespace(namespace)
                .resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class)).create();
    }

    private GenericKubernetesResource get(ResourceDefinitionContext kind) {
        return admin.genericKubernetesResources(kind).inNamespace(namespace).withName("churn").get();
    }

    private List<String> userResourceVersions() {
        List<String> versions = new ArrayList<>();
        for (ResourceDefinitionContext kind : List.of(IstioRevision.DESTINATION_RULE, IstioTrafficBackend.VIRTUAL_SERVICE)) {
            GenericKubernetesResource r = get(kind);
            versions.add(r == null ? null : r.getMetadata().getResourceVersion());
        }
        return versions;
    }

    private List<String> resourceVersions() {
        List<String> versions = new ArrayList<>();
        versions.add(admin.apps().deployments().inNamespace(namespace).withName("churn-v1").get().getMetadata().getResourceVersion());
        versions.add(admin.services().inNamespace(namespace).withName("churn-v1").get().getMetadata().getResourceVersion());
        versions.addAll(userResourceVersions());
        return versions;
    }

    @SuppressWarnings("unchecked")
    private List<String> subsets() {
        Map<String, Object> spec = (Map<String, Object>) get(IstioRevision.DESTINATION_RULE).getAdditionalProperties().get("spec");
        return ((List<Map<String, Object>>) spec.get("subsets")).stream().map(s -> (String) s.get("name")).toList();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> httpRoutes() {
        Map<String, Object> spec = (Map<String, Object>) get(IstioTrafficBackend.VIRTUAL_SERVICE).getAdditionalProperties().get("spec");
        return (List<Map<String, Object>>) spec.get("http");
    }

    /** subset → weight of the route, in the order the resource lists them. */
    @SuppressWarnings("unchecked")
    private Map<String, Integer> weights(int route) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (Map<String, Object> d : (List<Map<String, Object>>) httpRoutes().get(route).get("route")) {
            Map<String, Object> destination = (Map<String, Object>) d.get("destination");
            weights.put((String) destination.get("subset"), d.get("weight") == null ? null : ((Number) d.get("weight")).intValue());
        }
        return weights;
    }
}
