package io.jenkins.plugins.mlops.train;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.Durations;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.process.LineSplitter;
import io.jenkins.plugins.mlops.process.LocalProcessLauncher;
import io.jenkins.plugins.mlops.process.LogTail;
import io.jenkins.plugins.mlops.process.ShutdownHooks;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a {@link GpuPodSpec} as a Kubernetes Job and stays with it to the end: streams the pod's
 * log, retries preemption and eviction up to the spec's limit (the Job controller makes the new
 * pod; this counts them), fails fast where waiting cannot help (image pull errors, a missing
 * Secret, a script that exits non-zero, more GPUs than any node of the product has, no GPU node
 * within the grace period), stops at the time
 * limit, and always deletes the Job and its pods.
 *
 * <p>It polls rather than watches: a poll every few seconds costs the API server little, and
 * survives the connection drops that long watches through load balancers suffer.
 */
public final class KubernetesJobLauncher {
    private static final Set<String> IMAGE_PULL_REASONS = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "ErrImageNeverPull");
    private static final Set<String> CONFIG_REASONS = Set.of("CreateContainerConfigError", "CreateContainerError");
    /** status.reason of pods the kubelet evicted or stopped with its node. */
    private static final Set<String> DISRUPTION_REASONS = Set.of("Evicted", "Preempting", "Shutdown", "NodeShutdown",
            "Terminated", "NodeLost", "UnexpectedAdmissionError");
    private static final Duration LOG_DRAIN = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final Duration pollInterval;
    private final Duration unschedulableGrace;
    private final Duration apiOutageTolerance;

    /**
     * @param pollInterval how often the Job's pods are read
     * @param unschedulableGrace how long a pod may wait for a node (a cluster autoscaler may be adding one)
     * @param apiOutageTolerance how long the API server may be unreachable while the Job runs before the run fails
     */
    public KubernetesJobLauncher(KubernetesClient client, Duration pollInterval, Duration unschedulableGrace,
            Duration apiOutageTolerance) {
        this.client = client;
        this.pollInterval = pollInterval;
        this.unschedulableGrace = unschedulableGrace;
        this.apiOutageTolerance = apiOutageTolerance;
    }

    /**
     * @param console receives progress and the training log, line by line
     * @throws InfrastructureException when the cluster cannot be reached or refuses the Job
     * @throws BadInputException when the API server rejects the Job as invalid
     */
    public JobRun run(GpuPodSpec spec, Duration timeout, Consumer<String> console) {
        String namespace = spec.namespace() != null ? spec.namespace()
                : Optional.ofNullable(client.getNamespace()).orElse("default");
        String name = spec.name();
        Job job = spec.job();
        job.getMetadata().setNamespace(namespace);
        // An aborted build (SIGTERM) or Ctrl-C must not leave a GPU Job running until its deadline.
        Thread onShutdown = new Thread(() -> delete(namespace, name, console), "mlops-delete-" + name);
        Runtime.getRuntime().addShutdownHook(onShutdown);
        try {
            api("create Job " + namespace + "/" + name,
                    () -> client.batch().v1().jobs().inNamespace(namespace).resource(job).create());
        } catch (RuntimeException e) {
            ShutdownHooks.remove(onShutdown);
            // An abort while the answer is on its way leaves a Job the server made (seen on a real cluster: the pod
            // ran before the client read the reply); it must not run until its deadline.
            if (interrupted(e)) {
                delete(namespace, name, console);
            }
            throw e;
        }
        console.accept("mlops: created Job " + namespace + "/" + name + " (" + spec.gpus() + " GPU"
                + (spec.gpuType() == null ? "" : " " + spec.gpuType()) + ", image " + spec.image() + ")");
        Watch watch = new Watch(namespace, name, spec, timeout, console);
        Instant deadline = Instant.now().plus(timeout);
        try {
            return watch.untilDone(deadline);
        } finally {
            watch.closeLogs();
            if (ShutdownHooks.remove(onShutdown)) {
                delete(namespace, name, console);
            }
        }
    }

    /**
     * Deletes the Job, also when an abort interrupted this thread: the client's call fails at once on
     * an interrupted thread, so the flag is cleared for the call and set again after it.
     */
    private void delete(String namespace, String name, Consumer<String> console) {
        boolean interrupted = Thread.interrupted();
        try {
            // Background propagation: the Job goes at once, the garbage collector removes its pods.
            client.batch().v1().jobs().inNamespace(namespace).withName(name)
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            console.accept("mlops: deleted Job " + namespace + "/" + name);
        } catch (KubernetesClientException e) {
            console.accept("mlops: WARNING could not delete Job " + namespace + "/" + name + " (its ttlSecondsAfterFinished"
                    + " removes it later): " + e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The state of one Job while it runs. */
    private final class Watch {
        private final String namespace;
        private final String name;
        private final GpuPodSpec spec;
        private final Duration timeout;
        private final Consumer<String> console;
        private final Map<String, Attempt> attempts = new LinkedHashMap<>();
        private final Map<String, String> gpuTypeOfNode = new HashMap<>();

        Watch(String namespace, String name, GpuPodSpec spec, Duration timeout, Consumer<String> console) {
            this.namespace = namespace;
            this.name = name;
            this.spec = spec;
            this.timeout = timeout;
            this.console = console;
        }

        JobRun untilDone(Instant deadline) {
            Instant apiDownSince = null;
            while (true) {
                Optional<JobRun> done = Optional.empty();
                try {
                    done = poll();
                    apiDownSince = null;
                } catch (InfrastructureException e) {
                    // A denial (401, 403) stays until someone changes the account's rights: no outage to ride out.
                    if (refused(e)) {
                        throw e;
                    }
                    // Control-plane upgrades and load-balancer hiccups come and go; hours of training must outlive them.
                    if (apiDownSince == null) {
                        apiDownSince = Instant.now();
                        console.accept("mlops: WARNING " + e.getMessage() + "; retrying for up to "
                                + Durations.format(apiOutageTolerance));
                    } else if (!Instant.now().isBefore(apiDownSince.plus(apiOutageTolerance))) {
                        throw e;
                    }
                }
                if (done.isPresent()) {
                    return done.get();
                }
                if (!Instant.now().isBefore(deadline)) {
                    attempts.values().stream().filter(a -> a.outcome == null).forEach(a ->
                            a.end(AttemptOutcome.TIMED_OUT, null, "Timeout", "stopped at the time limit"));
                    return finish(AttemptOutcome.TIMED_OUT, "the training job did not finish within "
                            + Durations.format(timeout) + "; the Job was deleted");
                }
                sleep();
            }
        }

        /** Reads the Job's pods and the Job once; a decision when the run is over. */
        private Optional<JobRun> poll() {
            List<Pod> pods = api("list the pods of Job " + name, () -> client.pods().inNamespace(namespace)
                    .withLabel(GpuPodSpec.JOB_NAME_LABEL, name).list().getItems());
            pods.sort(Comparator.comparing((Pod p) -> String.valueOf(p.getMetadata().getCreationTimestamp()))
                    .thenComparing(p -> p.getMetadata().getName()));
            Set<String> present = new HashSet<>();
            for (Pod pod : pods) {
                present.add(pod.getMetadata().getName());
                Attempt attempt = attempts.computeIfAbsent(pod.getMetadata().getName(), this::newAttempt);
                attempt.observe(pod);
            }
            for (Attempt attempt : attempts.values()) {
                if (attempt.outcome == null && !present.contains(attempt.pod)) {
                    attempt.end(AttemptOutcome.PREEMPTED, null, "PodDeleted",
                            "the pod was deleted before it finished (node drained or lost)");
                }
            }
            return decide();
        }

        private Optional<JobRun> decide() {
            long preemptions = attempts.values().stream().filter(a -> a.outcome == AttemptOutcome.PREEMPTED).count();
            for (Attempt attempt : attempts.values()) {
                if (attempt.outcome == null || attempt.outcome == AttemptOutcome.PREEMPTED) {
                    continue;
                }
                return Optional.of(switch (attempt.outcome) {
                    case SUCCEEDED -> finish(AttemptOutcome.SUCCEEDED, "the training job succeeded"
                            + (preemptions == 0 ? "" : " after " + preemptions + " preemption" + (preemptions == 1 ? "" : "s")));
                    case FAILED -> finish(AttemptOutcome.FAILED, "the training container failed on pod " + attempt.pod
                            + " with exit code " + attempt.exitCode + (attempt.reason == null ? "" : " (" + attempt.reason + ")"));
                    case IMAGE_PULL_ERROR -> finish(attempt.outcome, "the image " + spec.image() + " cannot be pulled ("
                            + attempt.reason + "): " + attempt.message);
                    case CONFIG_ERROR -> finish(attempt.outcome, "the training container cannot be created ("
                            + attempt.reason + "): " + attempt.message);
                    case UNSCHEDULABLE -> finish(attempt.outcome, "no node could take the pod within "
                            + Durations.format(unschedulableGrace) + ": " + attempt.message);
                    default -> finish(attempt.outcome, attempt.message);
                });
            }
            if (preemptions > spec.retriesOnPreemption()) {
                return Optional.of(finish(AttemptOutcome.PREEMPTED, "the pod was preempted or evicted " + preemptions
                        + " times, more than --retries-on-preemption " + spec.retriesOnPreemption()));
            }
            Job job = api("read Job " + name, () -> client.batch().v1().jobs().inNamespace(namespace).withName(name).get());
            if (job == null) {
                return Optional.of(finish(AttemptOutcome.FAILED, "the Job was deleted by someone else while it ran"));
            }
            return condition(job, "Failed").map(failed -> finish(
                    "DeadlineExceeded".equals(failed.getReason()) ? AttemptOutcome.TIMED_OUT
                            : preemptions > 0 && "BackoffLimitExceeded".equals(failed.getReason()) ? AttemptOutcome.PREEMPTED
                            : AttemptOutcome.FAILED,
                    "the Job failed (" + failed.getReason() + "): " + failed.getMessage()));
        }

        private JobRun finish(AttemptOutcome outcome, String message) {
            Attempt last = attempts.values().stream().reduce((a, b) -> b).orElse(null);
            if (last != null && outcome != AttemptOutcome.TIMED_OUT) {
                last.drainLog();
            }
            List<String> tail = last == null ? List.of() : last.log.lines();
            Failure failure = null;
            if (outcome == AttemptOutcome.FAILED || outcome == AttemptOutcome.TIMED_OUT) {
                RunEnding ending = new RunEnding(last == null ? null : last.exitCode, null,
                        outcome == AttemptOutcome.TIMED_OUT, last == null ? null : last.reason, tail);
                failure = FailureClassifier.classify(ending, List.of()).orElse(null);
            }
            console.accept("mlops: " + message);
            return new JobRun(name, namespace, outcome, message, attempts.values().stream().map(Attempt::toRecord).toList(),
                    tail, failure);
        }

        private Attempt newAttempt(String pod) {
            Attempt attempt = new Attempt(pod, attempts.size() + 1);
            console.accept("mlops: attempt " + attempt.number + ": pod " + pod);
            return attempt;
        }

        void closeLogs() {
            attempts.values().forEach(Attempt::closeLog);
        }

        private void sleep() {
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while watching Job " + name + "; it is being deleted");
            }
        }

        private String gpuType(String node) {
            return gpuTypeOfNode.computeIfAbsent(node, n -> {
                try {
                    Node found = client.nodes().withName(n).get();
                    String label = found == null || found.getMetadata().getLabels() == null ? null
                            : found.getMetadata().getLabels().get(GpuPodSpec.GPU_PRODUCT_LABEL);
                    return label != null ? label : spec.gpuType();
                } catch (KubernetesClientException e) {
                    // Reading nodes needs a ClusterRole many CI service accounts lack; the selector says what was asked.
                    return spec.gpuType();
                }
            });
        }

        /** Whether no node could ever hold the pod; without the right to list nodes, that is unknown and the grace applies. */
        private Optional<String> neverFits() {
            try {
                return GpuCapacity.neverFits(spec, client.nodes().list().getItems());
            } catch (KubernetesClientException e) {
                return Optional.empty();
            }
        }

        /** One pod of the Job. */
        private final class Attempt {
            final String pod;
            final int number;
            final LogTail log = new LogTail(LocalProcessLauncher.TAIL_LINES);
            Instant created = Instant.now();
            Instant firstSeenUnschedulable;
            Instant started;
            Instant ended;
            String node;
            String gpuType;
            AttemptOutcome outcome;
            Integer exitCode;
            String reason;
            String message;
            LogWatch logWatch;
            boolean logRead;

            Attempt(String pod, int number) {
                this.pod = pod;
                this.number = number;
            }

            void observe(Pod p) {
                if (outcome != null) {
                    return;
                }
                if (p.getMetadata().getCreationTimestamp() != null) {
                    created = Instant.parse(p.getMetadata().getCreationTimestamp());
                }
                String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
                if (node == null && p.getSpec() != null && p.getSpec().getNodeName() != null) {
                    node = p.getSpec().getNodeName();
                    gpuType = gpuType(node);
                    console.accept("mlops: attempt " + number + " scheduled on node " + node
                            + (gpuType == null ? "" : " (" + gpuType + ")"));
                }
                ContainerStatus container = trainingContainer(p);
                if (started == null && container != null && container.getState() != null
                        && (container.getState().getRunning() != null || container.getState().getTerminated() != null)) {
                    started = container.getState().getRunning() != null && container.getState().getRunning().getStartedAt() != null
                            ? Instant.parse(container.getState().getRunning().getStartedAt()) : Instant.now();
                }
                if ("Running".equals(phase)) {
                    followLog();
                } else if ("Succeeded".equals(phase)) {
                    terminatedWith(container);
                    end(AttemptOutcome.SUCCEEDED, exitCode, reason, "the training container exited 0");
                } else if ("Failed".equals(phase)) {
                    Optional<PodCondition> disruption = condition(p, "DisruptionTarget", "True");
                    String podReason = p.getStatus().getReason();
                    if (disruption.isPresent() || isIn(DISRUPTION_REASONS, podReason)) {
                        terminatedWith(container);
                        end(AttemptOutcome.PREEMPTED, exitCode,
                                disruption.map(PodCondition::getReason).orElse(podReason),
                                disruption.map(PodCondition::getMessage).orElse(p.getStatus().getMessage()));
                    } else {
                        ContainerStateTerminated terminated = terminatedWith(container);
                        end(AttemptOutcome.FAILED, exitCode, terminated == null ? podReason : terminated.getReason(),
                                terminated == null ? p.getStatus().getMessage() : terminated.getMessage());
                    }
                } else if ("Pending".equals(phase) || phase == null) {
                    pending(p, container);
                }
            }

            private void pending(Pod p, ContainerStatus container) {
                ContainerStateWaiting waiting = container == null || container.getState() == null ? null
                        : container.getState().getWaiting();
                if (waiting != null && isIn(IMAGE_PULL_REASONS, waiting.getReason())) {
                    end(AttemptOutcome.IMAGE_PULL_ERROR, null, waiting.getReason(), waiting.getMessage());
                    return;
                }
                if (waiting != null && isIn(CONFIG_REASONS, waiting.getReason())) {
                    end(AttemptOutcome.CONFIG_ERROR, null, waiting.getReason(), waiting.getMessage());
                    return;
                }
                Optional<PodCondition> unschedulable = condition(p, "PodScheduled", "False")
                        .filter(c -> "Unschedulable".equals(c.getReason()));
                if (unschedulable.isEmpty()) {
                    firstSeenUnschedulable = null;
                    return;
                }
                if (firstSeenUnschedulable == null) {
                    firstSeenUnschedulable = Instant.now();
                    Optional<String> never = neverFits();
                    if (never.isPresent()) {
                        end(AttemptOutcome.UNSCHEDULABLE, null, "Unschedulable",
                                never.get() + "; the scheduler says: " + unschedulable.get().getMessage());
                        return;
                    }
                    console.accept("mlops: attempt " + number + " waits for a node: " + unschedulable.get().getMessage());
                }
                if (!Instant.now().isBefore(firstSeenUnschedulable.plus(unschedulableGrace))) {
                    end(AttemptOutcome.UNSCHEDULABLE, null, "Unschedulable", unschedulable.get().getMessage());
                }
            }

            private ContainerStateTerminated terminatedWith(ContainerStatus container) {
                ContainerStateTerminated terminated = container == null || container.getState() == null ? null
                        : container.getState().getTerminated();
                if (terminated != null) {
                    exitCode = terminated.getExitCode();
                    reason = terminated.getReason();
                    if (terminated.getStartedAt() != null) {
                        started = Instant.parse(terminated.getStartedAt());
                    }
                }
                return terminated;
            }

            void end(AttemptOutcome how, Integer code, String why, String explanation) {
                outcome = how;
                exitCode = code;
                reason = why;
                message = explanation;
                ended = Instant.now();
                if (started != null) {
                    readLogIfNotFollowed();
                }
                console.accept("mlops: attempt " + number + " " + how.name().toLowerCase().replace('_', ' ')
                        + (code == null ? "" : ", exit code " + code) + (why == null ? "" : " (" + why + ")")
                        + (explanation == null || how == AttemptOutcome.SUCCEEDED ? "" : ": " + explanation));
            }

            private void followLog() {
                if (logWatch != null || logRead) {
                    return;
                }
                try {
                    logWatch = client.pods().inNamespace(namespace).withName(pod).inContainer(GpuPodSpec.CONTAINER)
                            .watchLog(new LineSplitter(this::logLine));
                } catch (KubernetesClientException e) {
                    console.accept("mlops: cannot stream the log of pod " + pod + ": " + e.getMessage());
                    logRead = true;
                }
            }

            /** A pod that finished between two polls is read once, whole. */
            private void readLogIfNotFollowed() {
                if (logWatch != null || logRead) {
                    return;
                }
                logRead = true;
                try {
                    String text = client.pods().inNamespace(namespace).withName(pod).inContainer(GpuPodSpec.CONTAINER)
                            .getLog();
                    if (text != null) {
                        text.lines().forEach(this::logLine);
                    }
                } catch (KubernetesClientException e) {
                    console.accept("mlops: cannot read the log of pod " + pod + ": " + e.getMessage());
                }
            }

            private void logLine(String line) {
                log.add(line);
                console.accept(line);
            }

            /** Waits briefly for the end of a followed log, so the last lines (the traceback) are in the tail. */
            void drainLog() {
                if (logWatch == null) {
                    return;
                }
                try {
                    logWatch.onClose().toCompletableFuture().get(LOG_DRAIN.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    // A log that does not end (the pod still runs at a timeout) is cut here.
                }
            }

            void closeLog() {
                if (logWatch != null) {
                    logWatch.close();
                }
            }

            TrainAttempt toRecord() {
                Instant end = ended != null ? ended : Instant.now();
                double waiting = seconds(created, started != null ? started : end);
                double running = started == null ? 0 : seconds(started, end);
                return new TrainAttempt(pod, node, gpuType, created, started, ended, outcome, exitCode, reason, message,
                        waiting, running);
            }
        }
    }

    private static ContainerStatus trainingContainer(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return null;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(c -> GpuPodSpec.CONTAINER.equals(c.getName())).findFirst().orElse(null);
    }

    private static Optional<PodCondition> condition(Pod pod, String type, String status) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus())).findFirst();
    }

    private static Optional<JobCondition> condition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
    }

    /** Set.of(...) refuses to look up null, and Kubernetes leaves reasons unset. */
    private static boolean isIn(Set<String> reasons, String reason) {
        return reason != null && reasons.contains(reason);
    }

    private static double seconds(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis() / 1000.0);
    }

    /**
     * Calls the API server, turning its errors into ours: unreachable or forbidden is
     * infrastructure (exit 3), an invalid object is bad input (exit 2).
     */
    private <T> T api(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 422 || e.getCode() == 409) {
                throw new BadInputException("Kubernetes rejected the request to " + what + ": " + statusMessage(e), e);
            }
            if (e.getCode() <= 0) {
                throw new InfrastructureException("cannot reach the Kubernetes API at " + client.getMasterUrl() + " to "
                        + what + ": " + rootCause(e), e);
            }
            throw new InfrastructureException("the Kubernetes API refused to " + what + " (HTTP " + e.getCode() + "): "
                    + statusMessage(e), e);
        }
    }

    private static boolean interrupted(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedException || cause instanceof InterruptedIOException) {
                return true;
            }
        }
        return Thread.currentThread().isInterrupted();
    }

    private static boolean refused(InfrastructureException e) {
        return e.getCause() instanceof KubernetesClientException cause && (cause.getCode() == 401 || cause.getCode() == 403);
    }

    private static String statusMessage(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
