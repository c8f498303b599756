package io.jenkins.plugins.mlops.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.k8s.ClusterNamespace;
import io.jenkins.plugins.mlops.k8s.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The launcher against a real API server, Job controller and scheduler ({@link TestCluster}), as
 * the mlops service account: the Job is admitted by the server's validation, its pod is placed by
 * the scheduler, replaced by the Job controller after a preemption, and its log streams through
 * the API server from kwok. kwok plays the kubelet: the test says when the container exits, and
 * with which code. What kwok cannot show (image pulls, a misbehaving API server) stays with the
 * mock in {@link KubernetesJobLauncherTest}.
 */
class KubernetesJobLauncherOnClusterTest {
    /** Longer than any test waits for its result: an outcome before it was decided by events, not by this limit. */
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    @RegisterExtension
    final ClusterNamespace training = new ClusterNamespace("train");

    private final List<String> console = new CopyOnWriteArrayList<>();
    private TestCluster cluster;
    private KubernetesClient mlops;
    private String namespace;

    @BeforeEach
    void setUp() {
        cluster = training.cluster();
        mlops = training.mlops();
        namespace = training.name();
        cluster.clearTrainingLog();
    }

    @Test
    void aJobRunsOnAGpuOfItsProductStreamsItsLogAndSucceeds() throws Exception {
        CompletableFuture<JobRun> run = launch(spec("ok-job", 1, TestCluster.H100, 0), TIMEOUT);
        Pod pod = cluster.awaitPod(namespace, TestCluster.running(), "the training pod running");
        cluster.appendTrainingLog("epoch 1/2 loss=0.5", "epoch 2/2 loss=0.25");
        awaitConsole("epoch 2/2 loss=0.25");
        cluster.appendTrainingLog("saved model");
        awaitConsole("saved model");
        cluster.endPod(namespace, pod.getMetadata().getName(), 0, null);

        JobRun result = run.get(2, TimeUnit.MINUTES);

        assertThat(result.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED);
        assertThat(result.failure()).isNull();
        assertThat(result.attempts()).singleElement().satisfies(a -> {
            assertThat(a.pod()).isEqualTo(pod.getMetadata().getName());
            assertThat(a.node()).isEqualTo("gpu-h100-0");
            assertThat(a.gpuType()).isEqualTo(TestCluster.H100);
            assertThat(a.exitCode()).isZero();
        });
        assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits())
                .containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(console).containsSubsequence("epoch 1/2 loss=0.5", "epoch 2/2 loss=0.25", "saved model");
        assertJobDeleted("ok-job");
    }

    @Test
    void aFailingScriptFailsAtOnceWithItsClassifiedErrorAndIsNotRetried() throws Exception {
        CompletableFuture<JobRun> run = launch(spec("bad-job", 1, null, 3), TIMEOUT);
        Pod pod = cluster.awaitPod(namespace, TestCluster.running(), "the training pod running");
        cluster.appendTrainingLog("epoch 1/20", "Traceback (most recent call last):", "  File \"train.py\", line 40, in <module>",
                "RuntimeError: mat1 and mat2 shapes cannot be multiplied (64x512 and 256x10)");
        awaitConsole("RuntimeError");
        cluster.endPod(namespace, pod.getMetadata().getName(), 1, null);

        JobRun result = run.get(2, TimeUnit.MINUTES);

        assertThat(result.outcome()).isEqualTo(AttemptOutcome.FAILED);
        assertThat(result.failure().kind()).isEqualTo(FailureKind.SHAPE_MISMATCH);
        assertThat(result.failure().evidence()).anyMatch(l -> l.contains("mat1 and mat2"));
        assertThat(result.attempts()).singleElement().satisfies(a -> assertThat(a.exitCode()).isEqualTo(1));
        assertThat(result.message()).contains("exit code 1");
        assertJobDeleted("bad-job");
    }

    @Test
    void theJobControllerDoesNotRetryAFailingScript() {
        GpuPodSpec spec = spec("final-job", 1, null, 3);
        cluster.admin().batch().v1().jobs().inNamespace(namespace).resource(withNamespace(spec)).create();
        Pod pod = cluster.awaitPod(namespace, TestCluster.running(), "the training pod running");

        cluster.endPod(namespace, pod.getMetadata().getName(), 2, null);

        TestCluster.await(() -> failedCondition("final-job") != null, "the Job failed");
        assertThat(failedCondition("final-job")).isEqualTo("PodFailurePolicy");
        assertThat(cluster.admin().pods().inNamespace(namespace).list().getItems()).hasSize(1);
    }

    @Test
    void anOomKilledContainerIsOutOfMemory() throws Exception {
        CompletableFuture<JobRun> run = launch(spec("oom-job", 1, null, 3), TIMEOUT);
        Pod pod = cluster.awaitPod(namespace, TestCluster.running(), "the training pod running");
        cluster.endPod(namespace, pod.getMetadata().getName(), 137, "OOMKilled");

        JobRun result = run.get(2, TimeUnit.MINUTES);

        assertThat(result.outcome()).isEqualTo(AttemptOutcome.FAILED);
        assertThat(result.failure().kind()).isEqualTo(FailureKind.OUT_OF_MEMORY);
        assertThat(result.attempts().get(0).reason()).isEqualTo("OOMKilled");
    }

    /**
     * The scheduler preempts the training pod for a pod of higher priority that needs its node's
     * GPUs; the Job controller counts the disruption (podFailurePolicy) and makes a new pod, which
     * the scheduler places on the other A100 node.
     */
    @Test
    void aPodPreemptedByTheSchedulerIsReplacedAndTheRunSucceeds() throws Exception {
        CompletableFuture<JobRun> run = launch(spec("spot-job", TestCluster.GPUS_PER_NODE, TestCluster.A100, 2), TIMEOUT);
        Pod first = cluster.awaitPod(namespace, TestCluster.running(), "the first training pod running");
        String node = first.getSpec().getNodeName();

        cluster.admin().pods().inNamespace(namespace).resource(urgentPodOn(node)).create();

        Pod second = cluster.awaitPod(namespace, TestCluster.running().and(otherThan(first)).and(trainingPod()),
                "the replacement pod running");
        assertThat(second.getSpec().getNodeName()).startsWith("gpu-a100-").isNotEqualTo(node);
        cluster.endPod(namespace, second.getMetadata().getName(), 0, null);

        JobRun result = run.get(2, TimeUnit.MINUTES);

        assertThat(result.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED);
        assertThat(result.attempts()).extracting(TrainAttempt::outcome)
                .containsExactly(AttemptOutcome.PREEMPTED, AttemptOutcome.SUCCEEDED);
        // The launcher sees the preempted pod Failed with its DisruptionTarget condition, or, between two polls, gone.
        assertThat(result.attempts().get(0).reason()).isIn("PreemptionByScheduler", "PodDeleted");
        assertThat(result.message()).contains("after 1 preemption");
    }

    @Test
    void evictionBeyondTheRetriesFails() throws Exception {
        CompletableFuture<JobRun> run = launch(spec("evicted-job", 1, null, 1), TIMEOUT);
        Pod first = cluster.awaitPod(namespace, TestCluster.running(), "the first training pod running");
        assertThat(cluster.admin().pods().inNamespace(namespace).withName(first.getMetadata().getName()).evict()).isTrue();
        Pod second = cluster.awaitPod(namespace, TestCluster.running().and(otherThan(first)), "the replacement pod running");
        assertThat(cluster.admin().pods().inNamespace(namespace).withName(second.getMetadata().getName()).evict()).isTrue();

        JobRun result = run.get(2, TimeUnit.MINUTES);

        assertThat(result.outcome()).isEqualTo(AttemptOutcome.PREEMPTED);
        assertThat(result.attempts()).hasSize(2).allSatisfy(a -> {
            assertThat(a.outcome()).isEqualTo(AttemptOutcome.PREEMPTED);
            assertThat(a.reason()).isIn("EvictionByEvictionAPI", "PodDeleted");
        });
        assertThat(result.message()).contains("2 times, more than --retries-on-preemption 1");
        assertJobDeleted("evicted-job");
    }

    @Test
    void moreGpusThanAnyNodeHasFailWithTheSchedulersReason() throws Exception {
        JobRun result = launch(spec("big-job", 16, null, 3), TIMEOUT).get(2, TimeUnit.MINUTES);

        assertThat(result.outcome()).isEqualTo(AttemptOutcome.UNSCHEDULABLE);
        assertThat(result.message()).contains("Insufficient nvidia.com/gpu");
        assertThat(result.attempts()).singleElement().satisfies(a -> assertThat(a.node()).isNull());
        assertJobDeleted("big-job");
    }

    @Test
    void anUnknownGpuProductFailsWithTheSchedulersReason() throws Exception {
        JobRun result = launch(spec("b200-job", 1, "NVIDIA-B200", 3), TIMEOUT).get(2, TimeUnit.MINUTES);

        assertThat(result.outcome()).isEqualTo(AttemptOutcome.UNSCHEDULABLE);
        assertThat(result.message()).contains("didn't match Pod's node affinity/selector");
    }

    @Test
    void theTimeLimitStopsAndDeletesTheJob() throws Exception {
        CompletableFuture<JobRun> run = launch(spec("slow-job", 1, null, 3), Duration.ofSeconds(3));
        cluster.awaitPod(namespace, TestCluster.running(), "the training pod running");

        JobRun result = run.get(2, TimeUnit.MINUTES);

        assertThat(result.outcome()).isEqualTo(AttemptOutcome.TIMED_OUT);
        assertThat(result.failure().kind()).isEqualTo(FailureKind.TIMEOUT);
        assertJobDeleted("slow-job");
        TestCluster.await(() -> cluster.admin().pods().inNamespace(namespace).list().getItems().isEmpty(),
                "the Job's pod removed by the garbage collector");
    }

    /**
     * An aborted build interrupts the launcher: the GPU Job must not keep running until its deadline.
     * The interrupt may come while the launcher still waits for the reply to its create, after the
     * server made the Job (the pod runs within a few hundred milliseconds here): deleted all the same.
     */
    @Test
    void anInterruptedLaunchDeletesItsJobAndItsPod() throws Exception {
        KubernetesJobLauncher launcher = launcher();
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread launching = new Thread(() -> {
            try {
                launcher.run(spec("aborted-job", 1, null, 0), TIMEOUT, console::add);
            } catch (RuntimeException e) {
                ended.set(e);
            }
        });
        launching.start();
        cluster.awaitPod(namespace, TestCluster.running(), "the training pod running");

        launching.interrupt();
        launching.join(120_000);

        assertThat(launching.isAlive()).isFalse();
        assertThat(ended.get()).isNotNull();
        assertThat(console).contains("mlops: deleted Job " + namespace + "/aborted-job");
        assertJobDeleted("aborted-job");
        TestCluster.await(() -> cluster.admin().pods().inNamespace(namespace).list().getItems().isEmpty(),
                "the Job's pod removed by the garbage collector");
    }

    @Test
    void aNamespaceWhereMlopsMayNotCreateJobsIsAnInfrastructureErrorNamingVerbAndResource() {
        String forbidden = cluster.namespaceWithoutRights("no-rbac");
        GpuPodSpec spec = new GpuPodSpec("denied-job", forbidden, "ghcr.io/acme/churn-train:1.4", List.of("python", "train.py"),
                1, null, null, null, "1Gi", Duration.ofHours(1), 0, Map.of(), List.of(), Map.of());
        KubernetesJobLauncher launcher = launcher();

        assertThatThrownBy(() -> launcher.run(spec, TIMEOUT, console::add))
                .isInstanceOf(InfrastructureException.class)
                .hasMessageContaining("HTTP 403")
                .hasMessageContaining(TestCluster.MLOPS_USER)
                .hasMessageContaining("cannot create resource \"jobs\"");
    }

    /** A role that may create Jobs but not read their pods fails at the first poll, not after the outage tolerance. */
    @Test
    void aRoleThatMayNotReadPodsFailsAtOnce() {
        String partial = cluster.namespaceWithoutRights("half-rbac");
        cluster.admin().rbac().roles().inNamespace(partial).resource(new RoleBuilder().withNewMetadata().withName("jobs-only")
                .endMetadata().addNewRule().withApiGroups("batch").withResources("jobs")
                .withVerbs("create", "get", "delete").endRule().build()).create();
        cluster.admin().rbac().roleBindings().inNamespace(partial).resource(new RoleBindingBuilder().withNewMetadata()
                .withName("jobs-only").endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role")
                .withName("jobs-only").endRoleRef().addNewSubject().withKind("ServiceAccount").withName("mlops")
                .withNamespace("mlops").endSubject().build()).create();
        GpuPodSpec spec = new GpuPodSpec("blind-job", partial, "ghcr.io/acme/churn-train:1.4", List.of("python", "train.py"),
                1, null, null, null, "1Gi", Duration.ofHours(1), 0, Map.of(), List.of(), Map.of());
        // An hour of outage tolerance: only a denial taken as final ends the run within the test's two minutes.
        KubernetesJobLauncher launcher = new KubernetesJobLauncher(mlops, Duration.ofMillis(100), Duration.ofSeconds(2),
                Duration.ofHours(1));
        CompletableFuture<JobRun> run = CompletableFuture.supplyAsync(() -> launcher.run(spec, TIMEOUT, console::add));

        assertThatThrownBy(() -> run.get(2, TimeUnit.MINUTES))
                .hasCauseInstanceOf(InfrastructureException.class)
                .hasMessageContaining("HTTP 403")
                .hasMessageContaining("cannot list resource \"pods\"");
        TestCluster.await(() -> cluster.admin().batch().v1().jobs().inNamespace(partial).withName("blind-job").get() == null,
                "the Job deleted");
    }

    private GpuPodSpec spec(String name, int gpus, String gpuType, int retries) {
        return new GpuPodSpec(name, namespace, "ghcr.io/acme/churn-train:1.4", List.of("python", "train.py"), gpus, gpuType,
                "4", "16Gi", "8Gi", Duration.ofHours(1), retries, Map.of(), List.of(), Map.of());
    }

    private static io.fabric8.kubernetes.api.model.batch.v1.Job withNamespace(GpuPodSpec spec) {
        io.fabric8.kubernetes.api.model.batch.v1.Job job = spec.job();
        job.getMetadata().setNamespace(spec.namespace());
        return job;
    }

    private String failedCondition(String job) {
        io.fabric8.kubernetes.api.model.batch.v1.Job found = cluster.admin().batch().v1().jobs().inNamespace(namespace)
                .withName(job).get();
        if (found == null || found.getStatus() == null || found.getStatus().getConditions() == null) {
            return null;
        }
        return found.getStatus().getConditions().stream().filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
                .map(c -> c.getReason()).findFirst().orElse(null);
    }

    private KubernetesJobLauncher launcher() {
        return new KubernetesJobLauncher(mlops, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(30));
    }

    private CompletableFuture<JobRun> launch(GpuPodSpec spec, Duration timeout) {
        KubernetesJobLauncher launcher = launcher();
        return CompletableFuture.supplyAsync(() -> launcher.run(spec, timeout, console::add));
    }

    /** A pod of the urgent priority class that needs all GPUs of {@code node}: the scheduler must preempt for it. */
    private static Pod urgentPodOn(String node) {
        return new PodBuilder().withNewMetadata().withName("urgent").endMetadata()
                .withNewSpec()
                    .withPriorityClassName(TestCluster.URGENT_PRIORITY_CLASS)
                    .withNodeSelector(Map.of("kubernetes.io/hostname", node))
                    .addNewToleration().withKey("nvidia.com/gpu").withOperator("Exists").withEffect("NoSchedule").endToleration()
                    .addNewContainer().withName("serve").withImage("ghcr.io/acme/llm-serve:2")
                        .withNewResources().addToLimits("nvidia.com/gpu", new Quantity(String.valueOf(TestCluster.GPUS_PER_NODE)))
                        .endResources()
                    .endContainer()
                .endSpec().build();
    }

    private static Predicate<Pod> otherThan(Pod pod) {
        return p -> !p.getMetadata().getName().equals(pod.getMetadata().getName());
    }

    private static Predicate<Pod> trainingPod() {
        return p -> p.getMetadata().getLabels() != null && p.getMetadata().getLabels().containsKey(GpuPodSpec.JOB_NAME_LABEL);
    }

    private void awaitConsole(String text) {
        TestCluster.await(() -> console.stream().anyMatch(l -> l.contains(text)), "console shows '" + text + "'");
    }

    private void assertJobDeleted(String name) {
        TestCluster.await(() -> cluster.admin().batch().v1().jobs().inNamespace(namespace).withName(name).get() == null,
                "Job " + name + " deleted");
    }
}
