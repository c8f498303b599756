package io.jenkins.plugins.mlops.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launcher against fabric8's mock API server in CRUD mode, for what the real control plane of
 * {@link KubernetesJobLauncherOnClusterTest} cannot show: image pulls (kwok runs no containers), a
 * kubelet older than the DisruptionTarget condition, and an API server that errs or is away. There
 * is no Job controller or kubelet in the mock, so each test plays them.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesJobLauncherTest {
    static final String NS = "ml";
    KubernetesMockServer server;
    KubernetesClient client;

    private final List<String> console = new CopyOnWriteArrayList<>();

    /** An older kubelet marks a pod it evicted for node pressure only through status.reason, which kwok does not play. */
    @Test
    void anEvictionNamedOnlyByTheStatusReasonIsAPreemption() throws Exception {
        CompletableFuture<JobRun> run = launch(spec("evicted-job", 0), Duration.ofSeconds(30));
        awaitJob("evicted-job");
        createPod("evicted-job-a1");
        setStatus("evicted-job-a1", new PodStatusBuilder().withPhase("Failed").withReason("Evicted")
                .withMessage("The node was low on resource: memory.").build());

        JobRun result = run.get(20, TimeUnit.SECONDS);

        assertThat(result.outcome()).isEqualTo(AttemptOutcome.PREEMPTED);
        assertThat(result.attempts()).extracting(TrainAttempt::reason).containsExactly("Evicted");
        assertThat(result.message()).contains("1 times, more than --retries-on-preemption 0");
        assertJobDeleted("evicted-job");
    }

    @Test
    void anImagePullErrorFailsFast() throws Exception {
        CompletableFuture<JobRun> run = launch(spec("typo-job", 3), Duration.ofSeconds(30));
        awaitJob("typo-job");
        createPod("typo-job-a1");
        setStatus("typo-job-a1", new PodStatusBuilder().withPhase("Pending").addToContainerStatuses(
                new ContainerStatusBuilder().withName("train").withNewState().withNewWaiting().withReason("ImagePullBackOff")
                        .withMessage("Back-off pulling image \"ghcr.io/acme/trian:1\"").endWaiting().endState().build()).build());

        JobRun result = run.get(20, TimeUnit.SECONDS);

        assertThat(result.outcome()).isEqualTo(AttemptOutcome.IMAGE_PULL_ERROR);
        assertThat(result.message()).contains("ImagePullBackOff").contains("ghcr.io/acme/trian:1");
    }

    @Test
    void anUnreachableClusterIsAnInfrastructureError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Config config = new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + closedPort).withRequestTimeout(2000)
                .withConnectionTimeout(2000).withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(config).build()) {
            KubernetesJobLauncher launcher = new KubernetesJobLauncher(unreachable, Duration.ofMillis(50), Duration.ofSeconds(1),
                    Duration.ofSeconds(1));
            assertThatThrownBy(() -> launcher.run(spec("any-job", 0), Duration.ofSeconds(5), console::add))
                    .isInstanceOf(InfrastructureException.class)
                    .hasMessageContaining("cannot reach the Kubernetes API");
        }
    }

    @Test
    void aShortApiOutageIsRiddenOut() throws Exception {
        try (KubernetesClient noRetries = withoutRetries()) {
            CompletableFuture<JobRun> run = launch(noRetries, spec("blip-job", 0), Duration.ofSeconds(30), Duration.ofSeconds(10));
            awaitJob("blip-job");
            createPod("blip-job-a1");
            setStatus("blip-job-a1", running("gpu-node-3"));
            server.expect().get().withPath("/apis/batch/v1/namespaces/" + NS + "/jobs/blip-job")
                    .andReturn(500, "etcdserver: leader changed").times(3);
            awaitConsole("WARNING");
            Thread.sleep(300);
            setStatus("blip-job-a1", terminated("Succeeded", 0, "Completed"));

            JobRun result = run.get(20, TimeUnit.SECONDS);

            assertThat(result.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED);
            assertThat(console).anyMatch(l -> l.contains("WARNING") && l.contains("HTTP 500"));
        }
    }

    @Test
    void aLongApiOutageFailsAsInfrastructure() throws Exception {
        try (KubernetesClient noRetries = withoutRetries()) {
            CompletableFuture<JobRun> run = launch(noRetries, spec("down-job", 0), Duration.ofSeconds(30), Duration.ofMillis(400));
            awaitJob("down-job");
            createPod("down-job-a1");
            setStatus("down-job-a1", running("gpu-node-4"));
            server.expect().get().withPath("/apis/batch/v1/namespaces/" + NS + "/jobs/down-job")
                    .andReturn(503, "unavailable").always();

            assertThatThrownBy(() -> run.get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(InfrastructureException.class)
                    .hasMessageContaining("HTTP 503");
        }
    }

    static GpuPodSpec spec(String name, int retries) {
        return new GpuPodSpec(name, NS, "ghcr.io/acme/churn-train:1.4", List.of("python", "train.py"), 1, null, "4", "16Gi",
                "8Gi", Duration.ofHours(1), retries, Map.of(), List.of(), Map.of());
    }

    private CompletableFuture<JobRun> launch(GpuPodSpec spec, Duration timeout) {
        return launch(client, spec, timeout, Duration.ofSeconds(10));
    }

    private CompletableFuture<JobRun> launch(KubernetesClient with, GpuPodSpec spec, Duration timeout, Duration apiOutageTolerance) {
        KubernetesJobLauncher launcher = new KubernetesJobLauncher(with, Duration.ofMillis(50), Duration.ofMillis(300),
                apiOutageTolerance);
        return CompletableFuture.supplyAsync(() -> launcher.run(spec, timeout, console::add));
    }

    /** A client that reports a 5xx at once, as fabric8 otherwise retries it quietly. */
    private KubernetesClient withoutRetries() {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0).build()).build();
    }

    private void awaitJob(String name) throws InterruptedException {
        awaitTrue(() -> onMock(() -> client.batch().v1().jobs().inNamespace(NS).withName(name).get()) != null, "Job " + name + " created");
    }

    private void awaitConsole(String text) throws InterruptedException {
        awaitTrue(() -> console.stream().anyMatch(l -> l.contains(text)), "console shows '" + text + "'");
    }

    private void createPod(String name) {
        String job = name.substring(0, name.lastIndexOf('-'));
        onMock(() -> client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name)
                .addToLabels(GpuPodSpec.JOB_NAME_LABEL, job).endMetadata()
                .withNewSpec().addNewContainer().withName("train").withImage("img").endContainer().endSpec()
                .withNewStatus().withPhase("Pending").endStatus().build()).create());
    }

    private void setStatus(String name, PodStatus status) {
        Pod pod = onMock(() -> client.pods().inNamespace(NS).withName(name).get());
        pod.setStatus(status);
        if (status.getHostIP() != null) {
            pod.getSpec().setNodeName(status.getHostIP());
        }
        onMock(() -> client.pods().inNamespace(NS).resource(pod).update());
    }

    /** Running on {@code node}; the node travels in hostIP only to reach {@link #setStatus}. */
    private static PodStatus running(String node) {
        return new PodStatusBuilder().withPhase("Running").withHostIP(node).addToContainerStatuses(new ContainerStatusBuilder()
                .withName("train").withNewState().withNewRunning().withStartedAt(Instant.now().toString()).endRunning()
                .endState().build()).build();
    }

    private static PodStatus terminated(String phase, int exitCode, String reason) {
        return new PodStatusBuilder().withPhase(phase).addToContainerStatuses(new ContainerStatusBuilder().withName("train")
                .withNewState().withNewTerminated().withExitCode(exitCode).withReason(reason)
                .withStartedAt(Instant.now().minusSeconds(5).toString()).withFinishedAt(Instant.now().toString())
                .endTerminated().endState().build()).build();
    }

    private void assertJobDeleted(String name) {
        Job job = onMock(() -> client.batch().v1().jobs().inNamespace(NS).withName(name).get());
        assertThat(job).as("Job %s deleted", name).isNull();
    }

    /**
     * The test's own call to the mock server. fabric8's Vert.x mock server sometimes closes a pooled
     * keep-alive connection just as the client reuses it ("Connection was closed", seen in CI on a
     * busy machine); the client retries only I/O errors, so the test retries this one itself. The
     * launcher under test needs no such help: it rides out API errors for apiOutageTolerance.
     */
    private static <T> T onMock(java.util.function.Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (attempt == 5 || !closedConnection(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean closedConnection(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.core.http.HttpClosedException || "Connection was closed".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** Waits for an event; the deadline only stops a test that would hang, so it is generous for a busy CI machine. */
    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
