package io.jenkins.plugins.mlops.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
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
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The launcher against fabric8's mock API server in CRUD mode. There is no Job controller or
 * kubelet in the mock, so each test plays them: it creates the Job's pods and moves them through
 * the phases and conditions a real cluster would.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesJobLauncherTest {
    static final String NS = "ml";
    KubernetesMockServer server;
    KubernetesClient client;

    private final List<String> console = new CopyOnWriteArrayList<>();

    @Test
    void successStreamsTheLogAndRecordsNodeAndGpu() throws Exception {
        onMock(() -> client.nodes().resource(new NodeBuilder().withNewMetadata().withName("gpu-node-1")
                .addToLabels(GpuPodSpec.GPU_PRODUCT_LABEL, "NVIDIA-H100-80GB-HBM3").endMetadata().build()).create());
        CompletableFuture<JobRun> run = launch(spec("ok-job", 0), Duration.ofSeconds(30));
        awaitJob("ok-job");
        expectLog("ok-job-a1", "epoch 1/2 loss=0.5\nepoch 2/2 loss=0.25\nsaved model\n");
        createPod("ok-job-a1");
        setStatus("ok-job-a1", running("gpu-node-1"));
        awaitConsole("saved model");
        setStatus("ok-job-a1", terminated("Succeeded", 0, "Completed"));

        JobRun result = run.get(20, TimeUnit.SECONDS);

        assertThat(result.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED);
        assertThat(result.failure()).isNull();
        assertThat(result.attempts()).singleElement().satisfies(a -> {
            assertThat(a.pod()).isEqualTo("ok-job-a1");
            assertThat(a.node()).isEqualTo("gpu-node-1");
            assertThat(a.gpuType()).isEqualTo("NVIDIA-H100-80GB-HBM3");
            assertThat(a.exitCode()).isZero();
            assertThat(a.started()).isNotNull();
        });
        assertThat(console).containsSubsequence("epoch 1/2 loss=0.5", "epoch 2/2 loss=0.25", "saved model");
        assertJobDeleted("ok-job");
    }

    @Test
    void aFailingScriptFailsAtOnceWithItsClassifiedError() throws Exception {
        CompletableFuture<JobRun> run = launch(spec("bad-job", 3), Duration.ofSeconds(30));
        awaitJob("bad-job");
        expectLog("bad-job-a1", "epoch 1/20\nTraceback (most recent call last):\n  File \"train.py\", line 40, in <module>\n"
                + "RuntimeError: mat1 and mat2 shapes cannot be multiplied (64x512 and 256x10)\n");
        createPod("bad-job-a1");
        setStatus("bad-job-a1", terminated("Failed", 1, "Error"));

        JobRun result = run.get(20, TimeUnit.SECONDS);

        assertThat(result.outcome()).isEqualTo(AttemptOutcome.FAILED);
        assertThat(result.failure().kind()).isEqualTo(FailureKind.SHAPE_MISMATCH);
        assertThat(result.failure().evidence()).anyMatch(l -> l.contains("mat1 and mat2"));
        assertThat(result.attempts()).singleElement().satisfies(a -> assertThat(a.exitCode()).isEqualTo(1));
        assertThat(result.message()).contains("exit code 1");
        assertJobDeleted("bad-job");
    }

    /** An aborted build interrupts the launcher: the GPU Job must not keep running until its deadline. */
    @Test
    void anInterruptedLaunchDeletesItsJob() throws Exception {
        KubernetesJobLauncher launcher = new KubernetesJobLauncher(client, Duration.ofMillis(50), Duration.ofMillis(300),
                Duration.ofSeconds(10));
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread launching = new Thread(() -> {
            try {
                launcher.run(spec("aborted-job", 0), Duration.ofHours(1), console::add);
            } catch (RuntimeException e) {
                ended.set(e);
            }
        });
        launching.start();
        awaitJob("aborted-job");
        createPod("aborted-job-a1");
        setStatus("aborted-job-a1", running("gpu-node-1"));

        launching.interrupt();
        launching.join(20_000);

        assertThat(launching.isAlive()).isFalse();
        assertThat(ended.get()).isNotNull();
        assertThat(console).contains("mlops: deleted Job " + NS + "/aborted-job");
        assertJobDeleted("aborted-job");
    }

    @Test
    void oomKilledIsOutOfMemory() throws Exception {
        CompletableFuture<JobRun> run = launch(spec("oom-job", 3), Duration.ofSeconds(30));
        awaitJob("oom-job");
        expectLog("oom-job-a1", "loading shards\n");
        createPod("oom-job-a1");
        setStatus("oom-job-a1", terminated("Failed", 137, "OOMKilled"));

        JobRun result = run.get(20, TimeUnit.SECONDS);

        assertThat(result.outcome()).isEqualTo(AttemptOutcome.FAILED);
        assertThat(result.failure().kind()).isEqualTo(FailureKind.OUT_OF_MEMORY);
        assertThat(result.attempts().get(0).reason()).isEqualTo("OOMKilled");
    }

    @Test
    void preemptionIsRetriedThenSucceeds() throws Exception {
        CompletableFuture<JobRun> run = launch(spec("spot-job", 2), Duration.ofSeconds(30));
        awaitJob("spot-job");
        expectLog("spot-job-a1", "epoch 1/20\n");
        expectLog("spot-job-a2", "epoch 1/20\nepoch 20/20\n");
        createPod("spot-job-a1");
        setStatus("spot-job-a1", running("spot-1"));
        setStatus("spot-job-a1", disrupted("PreemptionByScheduler", "Preempted in order to admit critical pod"));
        awaitConsole("mlops: attempt 1 preempted");
        createPod("spot-job-a2");
        setStatus("spot-job-a2", running("spot-2"));
        setStatus("spot-job-a2", terminated("Succeeded", 0, "Completed"));

        JobRun result = run.get(20, TimeUnit.SECONDS);

        assertThat(result.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED);
        assertThat(result.attempts()).extracting(TrainAttempt::outcome)
                .containsExactly(AttemptOutcome.PREEMPTED, AttemptOutcome.SUCCEEDED);
        assertThat(result.attempts().get(0).reason()).isEqualTo("PreemptionByScheduler");
        assertThat(result.preemptions()).isEqualTo(1);
        assertThat(result.message()).contains("after 1 preemption");
    }

    @Test
    void preemptionBeyondTheRetriesFails() throws Exception {
        CompletableFuture<JobRun> run = launch(spec("evicted-job", 1), Duration.ofSeconds(30));
        awaitJob("evicted-job");
        createPod("evicted-job-a1");
        setStatus("evicted-job-a1", disrupted("EvictionByEvictionAPI", "Eviction API: evicting"));
        awaitConsole("mlops: attempt 1 preempted");
        createPod("evicted-job-a2");
        // An older kubelet marks an evicted pod only through status.reason.
        setStatus("evicted-job-a2", new PodStatusBuilder().withPhase("Failed").withReason("Evicted")
                .withMessage("The node was low on resource: memory.").build());

        JobRun result = run.get(20, TimeUnit.SECONDS);

        assertThat(result.outcome()).isEqualTo(AttemptOutcome.PREEMPTED);
        assertThat(result.attempts()).extracting(TrainAttempt::reason).containsExactly("EvictionByEvictionAPI", "Evicted");
        assertThat(result.message()).contains("2 times, more than --retries-on-preemption 1");
        assertJobDeleted("evicted-job");
    }

    @Test
    void anUnschedulablePodFailsAfterTheGracePeriodWithTheSchedulersMessage() throws Exception {
        CompletableFuture<JobRun> run = launch(spec("big-job", 3), Duration.ofSeconds(30));
        awaitJob("big-job");
        createPod("big-job-a1");
        setStatus("big-job-a1", new PodStatusBuilder().withPhase("Pending").addNewCondition().withType("PodScheduled")
                .withStatus("False").withReason("Unschedulable")
                .withMessage("0/4 nodes are available: 4 Insufficient nvidia.com/gpu.").endCondition().build());

        JobRun result = run.get(20, TimeUnit.SECONDS);

        assertThat(result.outcome()).isEqualTo(AttemptOutcome.UNSCHEDULABLE);
        assertThat(result.message()).contains("4 Insufficient nvidia.com/gpu");
        assertThat(result.attempts().get(0).node()).isNull();
        assertJobDeleted("big-job");
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
    void theTimeLimitStopsAndDeletesTheJob() throws Exception {
        CompletableFuture<JobRun> run = launch(spec("slow-job", 3), Duration.ofSeconds(2));
        awaitJob("slow-job");
        createPod("slow-job-a1");
        setStatus("slow-job-a1", running("gpu-node-2"));

        JobRun result = run.get(20, TimeUnit.SECONDS);

        assertThat(result.outcome()).isEqualTo(AttemptOutcome.TIMED_OUT);
        assertThat(result.failure().kind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(result.attempts()).singleElement().satisfies(a -> assertThat(a.outcome()).isEqualTo(AttemptOutcome.TIMED_OUT));
        assertJobDeleted("slow-job");
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

    /** The log a kubelet would serve, followed or read once. */
    private void expectLog(String pod, String text) {
        String path = "/api/v1/namespaces/" + NS + "/pods/" + pod + "/log?pretty=false&container=train";
        server.expect().get().withPath(path + "&follow=true").andReturn(200, text).always();
        server.expect().get().withPath(path).andReturn(200, text).always();
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

    private static PodStatus disrupted(String reason, String message) {
        return new PodStatusBuilder().withPhase("Failed").addNewCondition().withType("DisruptionTarget").withStatus("True")
                .withReason(reason).withMessage(message).endCondition()
                .addToContainerStatuses(new ContainerStatusBuilder().withName("train").withNewState().withNewTerminated()
                        .withExitCode(137).withReason("Error").endTerminated().endState().build()).build();
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
