package io.jenkins.plugins.mlops.deploy.kserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jenkins.plugins.mlops.deploy.judge.JudgePolicy;
import io.jenkins.plugins.mlops.deploy.prometheus.CounterExporter;
import io.jenkins.plugins.mlops.deploy.prometheus.PrometheusClient;
import io.jenkins.plugins.mlops.deploy.prometheus.PrometheusQueries;
import io.jenkins.plugins.mlops.deploy.prometheus.PrometheusServer;
import io.jenkins.plugins.mlops.deploy.prometheus.PrometheusWindows;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryConfig;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryResult;
import io.jenkins.plugins.mlops.deploy.rollout.MetricReader;
import io.jenkins.plugins.mlops.deploy.rollout.RolloutController;
import io.jenkins.plugins.mlops.deploy.rollout.Sleeper;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.k8s.ClusterNamespace;
import io.jenkins.plugins.mlops.k8s.TestCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * KServe's canaryTrafficPercent on a real API server ({@link TestCluster}) with a structural
 * InferenceService CRD (status subresource, pruning), as the mlops service account: written at
 * every step, on promotion and on rollback, within the schema's bounds, without touching the
 * status that KServe's controller owns (the test plays that controller); the revisions' metrics
 * through a real Prometheus scraping counters named as Knative's queue-proxy names them.
 */
class KServeTrafficBackendTest {
    private static final String STABLE_REVISION = "churn-predictor-00001";
    private static final String CANDIDATE_REVISION = "churn-predictor-00002";
    @RegisterExtension
    final ClusterNamespace models = new ClusterNamespace("kserve");
    TestCluster cluster;
    KubernetesClient client;
    String namespace;

    @BeforeEach
    void setUp() {
        cluster = models.cluster();
        client = models.mlops();
        namespace = models.name();
    }

    @Test
    void thePercentIsWrittenAtEveryStepThenPromotedOrRolledBack() throws Exception {
        createInferenceService();
        AtomicBoolean candidateFails = new AtomicBoolean(false);
        try (CounterExporter exporter = new CounterExporter();
                PrometheusServer prometheus = PrometheusServer.start(List.of(exporter.target()))) {
            ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
            traffic.scheduleAtFixedRate(() -> {
                count(exporter, STABLE_REVISION, "2xx", 10, 20);
                count(exporter, CANDIDATE_REVISION, candidateFails.get() ? "5xx" : "2xx", 5, 21);
            }, 0, 100, TimeUnit.MILLISECONDS);
            try {
                KServeTrafficBackend backend = new KServeTrafficBackend(client, namespace, "churn", new PrometheusWindows(
                        new PrometheusClient(prometheus.url(), Duration.ofSeconds(5), 1 << 20),
                        PrometheusQueries.knative("models"), Duration.ofSeconds(1)));
                assertThat(backend.candidateWeight()).isZero();
                Thread.sleep(4_000); // a few scrapes before the first judgement

                List<Integer> written = new ArrayList<>();
                CanaryConfig config = new CanaryConfig(List.of(10, 50, 100), Duration.ofSeconds(7), Duration.ofSeconds(7),
                        Duration.ofSeconds(7), new JudgePolicy(20, 0.05, 1.5, 0.2, 30, 0.05), List.of());
                CanaryResult promoted = new RolloutController(backend, MetricReader.NONE, Clock.systemUTC(), Sleeper.REAL,
                        line -> written.add(percent())).run(config);
                assertThat(promoted.outcome()).as(promoted.summary()).isEqualTo(CanaryResult.PROMOTED);
                assertThat(percent()).isEqualTo(100);
                assertThat(written).startsWith(10).contains(50);

                // The next model: KServe holds it at 0% until the rollout moves it; its 5xx roll it back.
                setPercent(0);
                candidateFails.set(true);
                Thread.sleep(1_000);
                CanaryResult rolledBack = new RolloutController(backend, MetricReader.NONE, Clock.systemUTC(), Sleeper.REAL,
                        line -> {}).run(config);
                assertThat(rolledBack.outcome()).isEqualTo(CanaryResult.ROLLED_BACK);
                assertThat(percent()).isZero();
            } finally {
                traffic.shutdownNow();
            }
        }
    }

    @Test
    void aServiceWithoutRevisionsInItsStatusCannotBeJudged() {
        createInferenceService(false);
        KServeTrafficBackend backend = new KServeTrafficBackend(client, namespace, "churn", null);
        assertThatThrownBy(() -> backend.observe("stable", java.time.Instant.now().minusSeconds(5), java.time.Instant.now()))
                .isInstanceOf(InfrastructureException.class).hasMessageContaining("latestRolledoutRevision");
    }

    /** mlops writes the whole object; the status subresource keeps the controller's revisions out of its reach. */
    @Test
    void thePercentIsWrittenWithinTheSchemaAndTheControllersStatusIsKept() {
        createInferenceService();
        KServeTrafficBackend backend = new KServeTrafficBackend(client, namespace, "churn", null);

        backend.setCandidateWeight(10);

        assertThat(percent()).isEqualTo(10);
        assertThat(backend.candidateWeight()).isEqualTo(10);
        assertThat(isvc().getAdditionalProperties().get("status").toString()).contains(STABLE_REVISION, CANDIDATE_REVISION);
        assertThatThrownBy(() -> backend.setCandidateWeight(101)).isInstanceOf(InfrastructureException.class)
                .hasMessageContaining("spec.predictor.canaryTrafficPercent")
                .hasMessageContaining("less than or equal to 100");
        assertThat(percent()).isEqualTo(10);
    }

    /** The controller (or a person) writes between the backend's read and update: 409, read again, write. */
    @Test
    void anotherWriterBetweenReadAndUpdateIsRetried() {
        createInferenceService();
        AtomicBoolean written = new AtomicBoolean();
        Interceptor writer = new Interceptor() {
            @Override
            @SuppressWarnings("unchecked")
            public void before(BasicBuilder builder,
                    HttpRequest request, RequestTags tags) {
                if ("PUT".equals(request.method()) && written.compareAndSet(false, true)) {
                    GenericKubernetesResource isvc = isvc();
                    ((Map<String, Object>) ((Map<String, Object>) isvc.getAdditionalProperties().get("spec")).get("predictor"))
                            .put("minReplicas", 2);
                    cluster.admin().genericKubernetesResources(KServeTrafficBackend.INFERENCE_SERVICE).inNamespace(namespace)
                            .resource(isvc).update();
                }
            }
        };
        try (KubernetesClient raced = new KubernetesClientBuilder().withConfig(cluster.mlopsConfig())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("another-writer", writer)).build()) {
            new KServeTrafficBackend(raced, namespace, "churn", null).setCandidateWeight(50);
        }

        assertThat(written).isTrue();
        assertThat(percent()).isEqualTo(50);
        assertThat(isvc().getAdditionalProperties().get("spec").toString()).contains("minReplicas=2");
    }

    private static void count(CounterExporter exporter, String revision, String codeClass, double requests, double ms) {
        String labels = "namespace_name=\"models\",revision_name=\"" + revision + "\"";
        exporter.add("revision_request_count{" + labels + ",response_code_class=\"" + codeClass + "\"}", requests);
        exporter.add("revision_request_latencies_sum{" + labels + "}", requests * ms);
        exporter.add("revision_request_latencies_count{" + labels + "}", requests);
    }

    private void createInferenceService() {
        createInferenceService(true);
    }

    /** The user's InferenceService; with {@code revisions}, the status KServe's controller would set. */
    @SuppressWarnings("unchecked")
    private void createInferenceService(boolean revisions) {
        String yaml = """
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
                """;
        GenericKubernetesResource created = cluster.admin().genericKubernetesResources(KServeTrafficBackend.INFERENCE_SERVICE)
                .inNamespace(namespace).resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class)).create();
        if (revisions) {
            created.getAdditionalProperties().put("status", Map.of("components", Map.of("predictor", Map.of(
                    "latestRolledoutRevision", STABLE_REVISION, "latestReadyRevision", CANDIDATE_REVISION,
                    "latestCreatedRevision", CANDIDATE_REVISION))));
            cluster.admin().genericKubernetesResources(KServeTrafficBackend.INFERENCE_SERVICE).inNamespace(namespace)
                    .resource(created).updateStatus();
        }
    }

    private GenericKubernetesResource isvc() {
        return cluster.admin().genericKubernetesResources(KServeTrafficBackend.INFERENCE_SERVICE).inNamespace(namespace)
                .withName("churn").get();
    }

    @SuppressWarnings("unchecked")
    private int percent() {
        Map<String, Object> spec = (Map<String, Object>) isvc().getAdditionalProperties().get("spec");
        return ((Number) ((Map<String, Object>) spec.get("predictor")).get("canaryTrafficPercent")).intValue();
    }

    @SuppressWarnings("unchecked")
    private void setPercent(int percent) {
        GenericKubernetesResource isvc = isvc();
        ((Map<String, Object>) ((Map<String, Object>) isvc.getAdditionalProperties().get("spec")).get("predictor"))
                .put("canaryTrafficPercent", percent);
        cluster.admin().genericKubernetesResources(KServeTrafficBackend.INFERENCE_SERVICE).inNamespace(namespace).resource(isvc)
                .update();
    }
}
