package io.jenkins.plugins.mlops.revision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jenkins.plugins.mlops.deploy.kserve.KServeTrafficBackend;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.k8s.ClusterNamespace;
import io.jenkins.plugins.mlops.k8s.TestCluster;
import io.jenkins.plugins.mlops.packaging.ImageDigests;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import io.jenkins.plugins.mlops.registry.LocalRegistry;
import io.jenkins.plugins.mlops.registry.ModelSource;
import io.jenkins.plugins.mlops.registry.Registration;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deployModel} in KServe mode on the real API server, as the mlops service account. No
 * KServe controller runs there, so the test plays it: a watch on the InferenceService answers each
 * new generation with the status KServe would write (a new revision, Ready or failing), as an event,
 * not after a sleep.
 */
class KServeDeployTest {
    private static final String IMAGE = "registry.example.com/team/churn@sha256:" + "ab".repeat(32);

    @RegisterExtension
    final ClusterNamespace models = new ClusterNamespace("kserve-deploy");
    @TempDir
    Path dir;
    TestCluster cluster;
    String namespace;
    Watch controller;

    @BeforeEach
    void setUp() {
        cluster = models.cluster();
        namespace = models.name();
        LocalRegistry registry = new LocalRegistry(dir.resolve("models"), line -> { });
        registry.register(new Registration("churn", ModelSource.parse("gs://models/churn/v3"), null, List.of(), Map.of(),
                Map.of(), null, null, null, "kserve-deploy-1"));
        registry.setTag("churn", 1, ImageDigests.VERSION_TAG, IMAGE);
    }

    @AfterEach
    void stopController() {
        if (controller != null) {
            controller.close();
        }
    }

    @Test
    void theNewPredictorRunsAtZeroPercentASecondDeployChangesNothingAndRollbackRestoresThePrevious() {
        createInferenceService();
        playController(null);
        DeployResult result = deploy(params());

        assertThat(result.revision()).isEqualTo("churn-predictor-00002");
        Map<String, Object> predictor = predictor();
        assertThat(predictor.get("canaryTrafficPercent")).isEqualTo(0);
        assertThat(predictor.get("containers").toString()).contains(IMAGE, "/ping");
        assertThat(isvc().getMetadata().getAnnotations()).containsKey(KServeRevision.PREVIOUS_ANNOTATION);

        GenericKubernetesResource before = isvc();
        assertThat(deploy(params()).revision()).isEqualTo("churn-predictor-00002");
        assertThat(Serialization.asYaml(isvc())).as("a second deploy of the same build").isEqualTo(Serialization.asYaml(before));

        // What canaryRollout --backend kserve does with it, then the rollback.
        new KServeTrafficBackend(models.mlops(), namespace, "churn", null).setCandidateWeight(10);
        assertThat(deploy(params().set("rollback", true)).rolledBack()).isTrue();
        predictor = predictor();
        assertThat(predictor).doesNotContainKey("containers");
        assertThat(predictor.get("model").toString()).contains("gs://models/churn/v2", "sklearn");
        assertThat(predictor.get("canaryTrafficPercent")).isEqualTo(0);
        assertThat(isvc().getMetadata().getAnnotations()).doesNotContainKey(KServeRevision.PREVIOUS_ANNOTATION);
    }

    @Test
    void theImageFreePathServesTheStorageUriWithTheMlflowFormat() {
        createInferenceService();
        playController(null);
        DeployResult result = deploy(params().set("storageUri", "gs://models/churn/v3"));
        assertThat(result.image()).isNull();
        assertThat(result.storageUri()).isEqualTo("gs://models/churn/v3");
        assertThat(predictor().get("model")).isEqualTo(Map.of("modelFormat", Map.of("name", "mlflow"),
                "storageUri", "gs://models/churn/v3"));
    }

    @Test
    void aRevisionThatFailsIsRolledBackNamingKServesReason() {
        createInferenceService();
        playController("Back-off pulling image: ImagePullBackOff");
        assertThatThrownBy(() -> deploy(params().set("readyTimeout", "10s")))
                .isInstanceOf(Readiness.NotReadyException.class).hasMessageContaining("ImagePullBackOff")
                .hasMessageContaining("previous predictor was restored");
        assertThat(predictor()).doesNotContainKey("containers");
        assertThat(predictor().get("model").toString()).contains("gs://models/churn/v2");
    }

    @Test
    void aMissingInferenceServiceIsBadInput() {
        assertThatThrownBy(() -> deploy(params())).isInstanceOf(BadInputException.class)
                .hasMessageContaining("InferenceService " + namespace + "/churn does not exist");
    }

    /** KServe's controller: each new generation gets a new revision, ready, or failing with {@code failure}. */
    private void playController(String failure) {
        controller = cluster.admin().genericKubernetesResources(KServeTrafficBackend.INFERENCE_SERVICE).inNamespace(namespace)
                .withName("churn").watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, GenericKubernetesResource isvc) {
                        long generation = isvc.getMetadata().getGeneration();
                        Object status = isvc.getAdditionalProperties().get("status");
                        if (status instanceof Map<?, ?> s && s.get("observedGeneration") instanceof Number n
                                && n.longValue() >= generation) {
                            return;
                        }
                        String revision = "churn-predictor-%05d".formatted(generation);
                        isvc.getAdditionalProperties().put("status", Map.of("observedGeneration", generation,
                                "conditions", List.of(failure == null ? Map.of("type", "Ready", "status", "True")
                                        : Map.of("type", "Ready", "status", "False", "reason", "RevisionFailed",
                                                "message", failure)),
                                "components", Map.of("predictor", Map.of("latestCreatedRevision", revision,
                                        "latestReadyRevision", failure == null ? revision : "churn-predictor-00001",
                                        "latestRolledoutRevision", "churn-predictor-00001"))));
                        cluster.admin().genericKubernetesResources(KServeTrafficBackend.INFERENCE_SERVICE).inNamespace(namespace)
                                .resource(isvc).updateStatus();
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                        // The test ends the watch.
                    }
                });
    }

    private ParameterBuilder<DeployParameters> params() {
        return DeployParameters.builder().set("model", "models:/churn/1").set("mode", "kserve").set("namespace", namespace)
                .set("inferenceService", "churn").set("kubeconfig", cluster.mlopsKubeconfig().toString())
                .set("readyTimeout", "120s");
    }

    private DeployResult deploy(ParameterBuilder<DeployParameters> params) {
        return DeployStep.run(params.build(), "file:" + dir.resolve("models"), RegistryCredentials.NONE, dir, line -> { });
    }

    private void createInferenceService() {
        cluster.admin().genericKubernetesResources(KServeTrafficBackend.INFERENCE_SERVICE).inNamespace(namespace)
                .resource(Serialization.unmarshal("""
                        apiVersion: serving.kserve.io/v1beta1
                        kind: InferenceService
                        metadata:
                          name: churn
                        spec:
                          predictor:
                            canaryTrafficPercent: 0
                            model:
                              modelFormat: {name: sklearn}
                              storageUri: gs://models/churn/v2
                        """, GenericKubernetesResource.class)).create();
    }

    private GenericKubernetesResource isvc() {
        return cluster.admin().genericKubernetesResources(KServeTrafficBackend.INFERENCE_SERVICE).inNamespace(namespace)
                .withName("churn").get();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> predictor() {
        return (Map<String, Object>) ((Map<String, Object>) isvc().getAdditionalProperties().get("spec")).get("predictor");
    }
}
