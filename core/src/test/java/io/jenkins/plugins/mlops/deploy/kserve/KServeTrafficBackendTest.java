package io.jenkins.plugins.mlops.deploy.kserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * KServe's canaryTrafficPercent on fabric8's Kubernetes mock (CRUD), written at every step, on
 * promotion and on rollback; the revisions' metrics through a real Prometheus scraping counters
 * named as Knative's queue-proxy names them.
 */
@EnableKubernetesMockClient(crud = true)
class KServeTrafficBackendTest {
    private static final String STABLE_REVISION = "churn-predictor-00001";
    private static final String CANDIDATE_REVISION = "churn-predictor-00002";
    KubernetesClient client;

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
                KServeTrafficBackend backend = new KServeTrafficBackend(client, "models", "churn", new PrometheusWindows(
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
        createInferenceService();
        GenericKubernetesResource isvc = isvc();
        isvc.getAdditionalProperties().remove("status");
        client.genericKubernetesResources(KServeTrafficBackend.INFERENCE_SERVICE).inNamespace("models").resource(isvc).update();
        KServeTrafficBackend backend = new KServeTrafficBackend(client, "models", "churn", null);
        assertThatThrownBy(() -> backend.observe("stable", java.time.Instant.now().minusSeconds(5), java.time.Instant.now()))
                .isInstanceOf(InfrastructureException.class).hasMessageContaining("latestRolledoutRevision");
    }

    private static void count(CounterExporter exporter, String revision, String codeClass, double requests, double ms) {
        String labels = "namespace_name=\"models\",revision_name=\"" + revision + "\"";
        exporter.add("revision_request_count{" + labels + ",response_code_class=\"" + codeClass + "\"}", requests);
        exporter.add("revision_request_latencies_sum{" + labels + "}", requests * ms);
        exporter.add("revision_request_latencies_count{" + labels + "}", requests);
    }

    private void createInferenceService() {
        String yaml = """
                apiVersion: serving.kserve.io/v1beta1
                kind: InferenceService
                metadata:
                  name: churn
                  namespace: models
                spec:
                  predictor:
                    canaryTrafficPercent: 0
                    model:
                      modelFormat: {name: sklearn}
                      storageUri: gs://models/churn/v2
                status:
                  components:
                    predictor:
                      latestRolledoutRevision: churn-predictor-00001
                      latestReadyRevision: churn-predictor-00002
                      latestCreatedRevision: churn-predictor-00002
                """;
        client.genericKubernetesResources(KServeTrafficBackend.INFERENCE_SERVICE).inNamespace("models")
                .resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class)).create();
    }

    private GenericKubernetesResource isvc() {
        return client.genericKubernetesResources(KServeTrafficBackend.INFERENCE_SERVICE).inNamespace("models").withName("churn").get();
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
        client.genericKubernetesResources(KServeTrafficBackend.INFERENCE_SERVICE).inNamespace("models").resource(isvc).update();
    }
}
