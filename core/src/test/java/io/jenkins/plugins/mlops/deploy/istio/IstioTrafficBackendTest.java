package io.jenkins.plugins.mlops.deploy.istio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jenkins.plugins.mlops.deploy.TrafficBackend;
import io.jenkins.plugins.mlops.deploy.VariantWindow;
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
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Istio backend on a real API server ({@link TestCluster}) with a structural VirtualService
 * CRD, as the mlops service account: the VirtualService written at every step and on rollback,
 * through the server's validation and pruning, and again after another writer changed it in
 * between; its metrics through a real Prometheus scraping an exporter that counts the way Istio's
 * sidecars do.
 */
class IstioTrafficBackendTest {
    private static final String HOST = "churn.models.svc.cluster.local";
    @RegisterExtension
    final ClusterNamespace models = new ClusterNamespace("istio");
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
    void weightsAndMirrorAreWrittenIntoTheUsersVirtualService() {
        createVirtualService();
        IstioTrafficBackend backend = backend(null);
        assertThat(backend.candidateWeight()).isZero();

        backend.setCandidateWeight(5);
        assertThat(weights()).containsExactly(Map.entry("stable", 95), Map.entry("candidate", 5));
        assertThat(backend.candidateWeight()).isEqualTo(5);
        backend.setCandidateWeight(50);
        assertThat(weights()).containsExactly(Map.entry("stable", 50), Map.entry("candidate", 50));
        backend.setCandidateWeight(0);
        assertThat(weights()).containsExactly(Map.entry("stable", 100), Map.entry("candidate", 0));

        backend.mirrorToCandidate(10);
        Map<String, Object> route = httpRoutes().get(0);
        assertThat(route.get("mirror")).isEqualTo(Map.of("host", HOST, "subset", "candidate"));
        assertThat(((Number) ((Map<?, ?>) route.get("mirrorPercentage")).get("value")).doubleValue()).isEqualTo(10.0);
        backend.mirrorToCandidate(0);
        assertThat(httpRoutes().get(0)).doesNotContainKeys("mirror", "mirrorPercentage");

        // The user's other route (to another host) and its match are left as they were.
        assertThat(httpRoutes().get(0).get("match")).isNotNull();
        assertThat(httpRoutes().get(1).toString()).contains("legacy").doesNotContain("candidate");
    }

    @Test
    void aMissingVirtualServiceIsAnInfrastructureFailureNamingIt() {
        IstioTrafficBackend backend = backend(null);
        assertThatThrownBy(() -> backend.setCandidateWeight(5)).isInstanceOf(InfrastructureException.class)
                .hasMessageContaining(namespace + "/churn does not exist");
    }

    @Test
    void metricsComeFromPrometheusAndAFailingCandidateIsRolledBackInTheVirtualService() throws Exception {
        createVirtualService();
        try (CounterExporter exporter = new CounterExporter();
                PrometheusServer prometheus = PrometheusServer.start(List.of(exporter.target()))) {
            ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
            // 100 req/s to stable (1% errors, 20 ms), 20 req/s to the candidate (half of them 5xx, 30 ms).
            traffic.scheduleAtFixedRate(() -> {
                count(exporter, "stable", "200", 9.9, 20);
                count(exporter, "stable", "503", 0.1, 20);
                count(exporter, "candidate", "200", 1, 30);
                count(exporter, "candidate", "500", 1, 30);
            }, 0, 100, TimeUnit.MILLISECONDS);
            try {
                PrometheusWindows windows = new PrometheusWindows(
                        new PrometheusClient(prometheus.url(), Duration.ofSeconds(5), 1 << 20),
                        PrometheusQueries.istio("models", "churn"), Duration.ofSeconds(1));
                IstioTrafficBackend backend = backend(windows);
                Thread.sleep(9_000);
                Instant to = Instant.now();
                Instant from = to.minusSeconds(8);
                VariantWindow stable = backend.observe(TrafficBackend.STABLE, from, to);
                VariantWindow candidate = backend.observe(TrafficBackend.CANDIDATE, from, to);
                // Ratios, not absolute counts: a loaded machine may tick slower than 10 times a second.
                assertThat(stable.requests()).isGreaterThan(100);
                assertThat((double) stable.requests() / candidate.requests()).isCloseTo(5, within(1.0));
                assertThat(stable.errorRate()).isCloseTo(0.01, within(0.01));
                assertThat(candidate.errorRate()).isCloseTo(0.5, within(0.1));
                assertThat(stable.latenciesMs()).isNotEmpty();
                assertThat(java.util.Arrays.stream(stable.latenciesMs())).allSatisfy(ms -> assertThat(ms).isCloseTo(20, within(1.0)));
                assertThat(candidate.predictions()).isEmpty();

                List<String> written = new ArrayList<>();
                CanaryConfig config = new CanaryConfig(List.of(10, 50, 100), Duration.ofSeconds(4), Duration.ofSeconds(2),
                        Duration.ofSeconds(4), new JudgePolicy(20, 0.05, 1.5, 0.2, 30, 0.05), List.of());
                CanaryResult result = new RolloutController(backend, MetricReader.NONE, Clock.systemUTC(), Sleeper.REAL,
                        line -> written.add(line + " -> " + weights())).run(config);
                assertThat(result.outcome()).isEqualTo(CanaryResult.ROLLED_BACK);
                assertThat(result.summary()).contains("error_rate");
                assertThat(weights()).containsExactly(Map.entry("stable", 100), Map.entry("candidate", 0));
                assertThat(written.get(0)).contains("Weight 10%").contains("candidate=10");
            } finally {
                traffic.shutdownNow();
            }
        }
    }

    /**
     * Defect 5: aborting a rollout (Jenkins interrupts the step's thread) must roll back. The
     * interrupt made the rollback's own Kubernetes call fail at once, leaving the candidate its traffic.
     */
    @Test
    void anInterruptedRolloutIsRolledBackInTheVirtualServiceAndStillReportsTheInterrupt() throws Exception {
        createVirtualService();
        // Never queried: the rollout is interrupted while it waits for its first look.
        PrometheusWindows windows = new PrometheusWindows(new PrometheusClient(java.net.URI.create("http://127.0.0.1:1"), Duration.ofSeconds(1), 1 << 10),
                PrometheusQueries.istio("models", "churn"), Duration.ofSeconds(1));
        CanaryConfig config = new CanaryConfig(List.of(10, 100), Duration.ofHours(1), Duration.ofHours(1),
                Duration.ofHours(1), new JudgePolicy(20, 0.05, 1.5, 0.2, 30, 0.05), List.of());
        CountDownLatch atTenPercent = new CountDownLatch(1);
        List<String> progress = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread rollout = new Thread(() -> {
            try {
                new RolloutController(backend(windows), MetricReader.NONE, Clock.systemUTC(), Sleeper.REAL, line -> {
                    progress.add(line);
                    if (line.startsWith("Weight 10%")) {
                        atTenPercent.countDown();
                    }
                }).run(config);
            } catch (RuntimeException e) {
                failure.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        rollout.start();
        assertThat(atTenPercent.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(weights()).containsExactly(Map.entry("stable", 90), Map.entry("candidate", 10));

        rollout.interrupt();
        rollout.join(60_000);
        assertThat(rollout.isAlive()).isFalse();
        assertThat(weights()).containsExactly(Map.entry("stable", 100), Map.entry("candidate", 0));
        assertThat(progress).contains("Rolled back: 0% candidate");
        assertThat(failure.get()).isInstanceOf(InfrastructureException.class).hasMessageContaining("interrupted");
        assertThat(stillInterrupted).as("the caller still sees the abort").isTrue();
    }

    /**
     * A GitOps controller or a person writes the VirtualService between the backend's read and its
     * update: the server refuses the stale update (409), the backend reads again and writes its
     * weights over the other writer's change instead of undoing it.
     */
    @Test
    void anotherWriterBetweenReadAndUpdateIsRetriedAndItsChangeKept() {
        createVirtualService();
        AtomicInteger conflicts = new AtomicInteger();
        try (KubernetesClient raced = withWriterBeforeEachUpdate(1, conflicts)) {
            backend(raced, null).setCandidateWeight(5);
        }

        assertThat(conflicts).hasValue(1);
        assertThat(weights()).containsExactly(Map.entry("stable", 95), Map.entry("candidate", 5));
        assertThat(virtualService().getMetadata().getAnnotations()).containsEntry("argocd.argoproj.io/sync", "1");
    }

    @Test
    void aWriterThatChangesTheResourceUnderEveryAttemptFailsTheEditAfterFiveTries() {
        createVirtualService();
        AtomicInteger conflicts = new AtomicInteger();
        try (KubernetesClient raced = withWriterBeforeEachUpdate(Integer.MAX_VALUE, conflicts)) {
            IstioTrafficBackend backend = backend(raced, null);

            assertThatThrownBy(() -> backend.setCandidateWeight(5)).isInstanceOf(InfrastructureException.class)
                    .hasMessageContaining("changed by another writer 5 times");
        }
        assertThat(conflicts).hasValue(5);
        assertThat(weights()).containsExactly(org.assertj.core.api.Assertions.entry("stable", null));
    }

    /** The CRD's schema bounds a weight to 0..100, as Istio's does: the server, not a mock, says no. */
    @Test
    void aWeightTheSchemaRefusesIsAnInfrastructureFailureWithTheServersReason() {
        createVirtualService();

        assertThatThrownBy(() -> backend(null).setCandidateWeight(120)).isInstanceOf(InfrastructureException.class)
                .hasMessageContaining("spec.http[0].route[0].weight")
                .hasMessageContaining("greater than or equal to 0");
        assertThat(weights()).containsExactly(org.assertj.core.api.Assertions.entry("stable", null));
    }

    /**
     * A client as mlops whose next {@code writes} updates are each preceded by another writer's
     * change to the VirtualService (an annotation, as Argo CD sets); {@code conflicts} counts the 409s.
     */
    private KubernetesClient withWriterBeforeEachUpdate(int writes, AtomicInteger conflicts) {
        AtomicInteger written = new AtomicInteger();
        Interceptor writer = new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                if ("PUT".equals(request.method()) && written.getAndIncrement() < writes) {
                    cluster.admin().genericKubernetesResources(IstioTrafficBackend.VIRTUAL_SERVICE).inNamespace(namespace)
                            .withName("churn").edit(vs -> {
                                vs.getMetadata().setAnnotations(Map.of("argocd.argoproj.io/sync", String.valueOf(written.get())));
                                return vs;
                            });
                }
            }

            @Override
            public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
                if (response.code() == 409) {
                    conflicts.incrementAndGet();
                }
            }
        };
        return new KubernetesClientBuilder().withConfig(cluster.mlopsConfig())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("another-writer", writer)).build();
    }

    private GenericKubernetesResource virtualService() {
        return cluster.admin().genericKubernetesResources(IstioTrafficBackend.VIRTUAL_SERVICE).inNamespace(namespace)
                .withName("churn").get();
    }

    private static void count(CounterExporter exporter, String version, String code, double requests, double ms) {
        String labels = "reporter=\"destination\",destination_service_namespace=\"models\",destination_service_name=\"churn\","
                + "destination_version=\"" + version + "\"";
        exporter.add("istio_requests_total{" + labels + ",response_code=\"" + code + "\"}", requests);
        exporter.add("istio_request_duration_milliseconds_sum{" + labels + "}", requests * ms);
        exporter.add("istio_request_duration_milliseconds_count{" + labels + "}", requests);
    }

    private IstioTrafficBackend backend(PrometheusWindows windows) {
        return backend(client, windows);
    }

    private IstioTrafficBackend backend(KubernetesClient with, PrometheusWindows windows) {
        return new IstioTrafficBackend(with, namespace, "churn", HOST, "stable", "candidate", windows);
    }

    private void createVirtualService() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: churn
                spec:
                  hosts: [churn.models.svc.cluster.local]
                  http:
                  - match:
                    - uri: {prefix: /invocations}
                    route:
                    - destination: {host: churn.models.svc.cluster.local, subset: stable}
                  - route:
                    - destination: {host: legacy.models.svc.cluster.local, subset: legacy}
                """;
        cluster.admin().genericKubernetesResources(IstioTrafficBackend.VIRTUAL_SERVICE).inNamespace(namespace)
                .resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class)).create();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> httpRoutes() {
        GenericKubernetesResource vs = virtualService();
        return (List<Map<String, Object>>) ((Map<String, Object>) vs.getAdditionalProperties().get("spec")).get("http");
    }

    /** subset → weight of the first route, in the order the resource lists them. */
    @SuppressWarnings("unchecked")
    private Map<String, Integer> weights() {
        Map<String, Integer> weights = new java.util.LinkedHashMap<>();
        for (Map<String, Object> d : (List<Map<String, Object>>) httpRoutes().get(0).get("route")) {
            weights.put((String) ((Map<String, Object>) d.get("destination")).get("subset"),
                    d.get("weight") == null ? null : ((Number) d.get("weight")).intValue());
        }
        return weights;
    }
}
