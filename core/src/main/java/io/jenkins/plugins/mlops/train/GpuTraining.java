package io.jenkins.plugins.mlops.train;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.Durations;
import io.jenkins.plugins.mlops.io.Redaction;
import io.jenkins.plugins.mlops.process.LocalProcessLauncher;
import io.jenkins.plugins.mlops.process.ProcessOutcome;
import io.jenkins.plugins.mlops.process.ProcessSpec;
import io.jenkins.plugins.mlops.process.ProcessStarter;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The {@code trainOnGpu} step: full training on a GPU, as a Kubernetes Job or on this machine,
 * with one result shape for both.
 */
public final class GpuTraining {
    /** nvidia-smi every few seconds is enough to see a starved GPU and costs nothing. */
    static final Duration GPU_SAMPLE_INTERVAL = Duration.ofSeconds(5);
    /** A GPU busier than this on average is doing the work it was bought for. */
    static final double IDLE_GPU_PCT = 10;
    /** Long enough for a managed control plane's upgrade, short enough to give a GPU back soon. */
    static final Duration API_OUTAGE_TOLERANCE = Duration.ofMinutes(5);
    private static final int PASSING_EXCERPT = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ProcessStarter launcher;
    private final Optional<NvidiaSmi> nvidiaSmi;
    private final Duration gpuSampleInterval;
    private final Duration pollInterval;
    private final Map<String, String> hostEnvironment;

    /**
     * @param pollInterval how often a Kubernetes Job's pods are read
     */
    public GpuTraining(Duration pollInterval) {
        this(new LocalProcessLauncher(), pollInterval);
    }

    /**
     * @param launcher where backend {@code local} runs the command: this machine, or a Jenkins step's (decorated) launcher
     * @param pollInterval how often a Kubernetes Job's pods are read
     */
    public GpuTraining(ProcessStarter launcher, Duration pollInterval) {
        this(launcher, NvidiaSmi.find(), GPU_SAMPLE_INTERVAL, pollInterval, System.getenv());
    }

    GpuTraining(ProcessStarter launcher, Optional<NvidiaSmi> nvidiaSmi, Duration gpuSampleInterval,
            Duration pollInterval, Map<String, String> hostEnvironment) {
        this.launcher = launcher;
        this.nvidiaSmi = nvidiaSmi;
        this.gpuSampleInterval = gpuSampleInterval;
        this.pollInterval = pollInterval;
        this.hostEnvironment = Map.copyOf(hostEnvironment);
    }

    /** A unique Job name for this run: the prefix and five random characters, as Kubernetes' generateName does. */
    public static String jobName(String prefix) {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder name = new StringBuilder(prefix).append('-');
        for (int i = 0; i < 5; i++) {
            name.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return name.toString();
    }

    /**
     * Runs the training as a Kubernetes Job.
     *
     * @param spec the pod, from {@link TrainConfig#podSpec(String)}: built (and so validated) before a client is made
     * @throws io.jenkins.plugins.mlops.io.InfrastructureException when the cluster cannot be reached
     */
    public TrainResult runOnKubernetes(TrainConfig config, GpuPodSpec spec, KubernetesClient client,
            Consumer<String> console) {
        Instant started = Instant.now();
        JobRun run = new KubernetesJobLauncher(client, pollInterval, config.unschedulableGrace(), API_OUTAGE_TOLERANCE)
                .run(spec, config.timeout(), console);
        List<Check> checks = commonChecks(config, run.outcome(), run.message(), started);
        long preemptions = run.preemptions();
        Status preemptionStatus = run.outcome() == AttemptOutcome.PREEMPTED ? Status.FAIL
                : preemptions > 0 ? Status.WARN : Status.PASS;
        checks.add(Check.of("preemptions", null, preemptionStatus, preemptions, "<= " + config.retriesOnPreemption(),
                preemptions == 0 ? "no attempt was preempted"
                        : preemptions + " attempt(s) lost to preemption or eviction and retried"));
        String gpuType = run.attempts().stream().map(TrainAttempt::gpuType).filter(t -> t != null).reduce((a, b) -> b)
                .orElse(config.gpuType());
        return result(config, started, checks, run.jobName(), run.namespace(), config.image(), gpuType, run.outcome(),
                run.message(), run.failure(), run.attempts(), run.logTail(), List.of(), null);
    }

    /**
     * Runs the training here, on the first {@code gpus} GPUs this process may use.
     *
     * @throws BadInputException when more GPUs are asked for than this machine has, or it shows none
     */
    public TrainResult runLocal(TrainConfig config, Consumer<String> console) {
        return runLocal(config, Map.of(), console);
    }

    /**
     * As {@link #runLocal(TrainConfig, Consumer)}, in the caller's environment: a Jenkins build's
     * (withEnv, withCredentials, tool PATHs), under the config's {@code env} and CUDA_VISIBLE_DEVICES.
     */
    public TrainResult runLocal(TrainConfig config, Map<String, String> baseEnvironment, Consumer<String> console) {
        Instant started = Instant.now();
        List<String> devices = devices(config.gpus());
        Map<String, String> environment = new HashMap<>(baseEnvironment);
        environment.putAll(config.env());
        environment.put("CUDA_VISIBLE_DEVICES", String.join(",", devices));
        console.accept("mlops: training locally on " + (devices.isEmpty() ? "CPU (no GPU asked for)"
                : "GPU " + String.join(",", devices)) + ": " + String.join(" ", Redaction.redactCommand(config.command())));
        ProcessSpec process = new ProcessSpec(config.command(), environment,
                config.workingDirectory() == null ? null : Path.of(config.workingDirectory()),
                config.timeout(), 0, SmokeTraining.KILL_GRACE);
        ProcessOutcome outcome;
        List<GpuUsage> usage = List.of();
        if (nvidiaSmi.isPresent() && !devices.isEmpty()) {
            try (NvidiaSmi.Sampler sampler = nvidiaSmi.get().sample(devices, gpuSampleInterval)) {
                outcome = launcher.run(process, console);
                usage = sampler.usage();
            }
        } else {
            outcome = launcher.run(process, console);
        }
        Optional<Failure> failure = FailureClassifier.classify(RunEnding.of(outcome, 0), List.of());
        AttemptOutcome result = outcome.timedOut() ? AttemptOutcome.TIMED_OUT
                : failure.isPresent() ? AttemptOutcome.FAILED : AttemptOutcome.SUCCEEDED;
        String message = failure.map(Failure::message).orElse("the training command exited 0");
        Instant ended = Instant.now();
        String gpuType = usage.isEmpty() ? null : usage.get(0).name();
        TrainAttempt attempt = new TrainAttempt("local", hostname(), gpuType, started, started, ended, result,
                outcome.exitCode(), outcome.signal(), message, 0, outcome.durationS());
        List<Check> checks = commonChecks(config, result, message, started);
        if (!devices.isEmpty()) {
            checks.add(gpuUsageCheck(usage));
        }
        return result(config, started, checks, "local", null, null, gpuType, result, message, failure.orElse(null),
                List.of(attempt), outcome.logTail(), usage, outcome.peakMemoryBytes());
    }

    /**
     * The devices for CUDA_VISIBLE_DEVICES: the first {@code gpus} of those this process may use
     * (an agent that hands out GPUs sets CUDA_VISIBLE_DEVICES itself), else of those nvidia-smi lists.
     */
    private List<String> devices(int gpus) {
        if (gpus == 0) {
            return List.of();
        }
        String inherited = hostEnvironment.get("CUDA_VISIBLE_DEVICES");
        List<String> available = inherited != null && !inherited.isBlank()
                ? Arrays.stream(inherited.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()
                : nvidiaSmi.map(NvidiaSmi::gpus).orElse(null);
        if (available == null) {
            // Training on CPU while the report says GPU would pass a build that never used the GPU it asked for.
            throw new BadInputException("--gpus " + gpus + ", but this machine shows no GPU: nvidia-smi (the NVIDIA"
                    + " driver) is not installed and CUDA_VISIBLE_DEVICES is not set; use --gpus 0 to train on CPU");
        }
        if (gpus > available.size()) {
            throw new BadInputException("--gpus " + gpus + ", but this machine offers " + available.size() + " GPU(s)"
                    + (available.isEmpty() ? "" : " (" + String.join(",", available) + ")"));
        }
        return available.subList(0, gpus);
    }

    private Check gpuUsageCheck(List<GpuUsage> usage) {
        if (usage.isEmpty()) {
            return Check.of("gpu_usage", null, Status.WARN, "not sampled", "busy GPUs",
                    "nvidia-smi gave no samples, so GPU use is unknown");
        }
        String observed = usage.stream().map(u -> String.format(Locale.ROOT, "GPU %s: %.0f%% mean, %d/%d MiB",
                u.index(), u.meanUtilizationPct(), u.peakMemoryMib(), u.totalMemoryMib())).collect(Collectors.joining("; "));
        boolean idle = usage.stream().anyMatch(u -> u.samples() >= 3 && u.meanUtilizationPct() < IDLE_GPU_PCT);
        return Check.of("gpu_usage", null, idle ? Status.WARN : Status.PASS, observed,
                String.format(Locale.ROOT, ">= %.0f%% mean utilisation", IDLE_GPU_PCT),
                idle ? "a GPU was mostly idle: the input pipeline or the CPU is likely the bottleneck"
                        : "the GPUs were busy");
    }

    private static List<Check> commonChecks(TrainConfig config, AttemptOutcome outcome, String message, Instant started) {
        List<Check> checks = new ArrayList<>();
        checks.add(Check.of("training_job", null, outcome.isSuccess() ? Status.PASS : Status.FAIL, outcome,
                AttemptOutcome.SUCCEEDED, message));
        checks.add(Check.of("time_limit", null, outcome == AttemptOutcome.TIMED_OUT ? Status.FAIL : Status.PASS,
                Durations.format(Duration.between(started, Instant.now()).withNanos(0)),
                "<= " + Durations.format(config.timeout()),
                outcome == AttemptOutcome.TIMED_OUT ? "stopped at the time limit" : "within the time limit"));
        return checks;
    }

    private static TrainResult result(TrainConfig config, Instant started, List<Check> checks, String jobName,
            String namespace, String image, String gpuType, AttemptOutcome outcome, String message, Failure failure,
            List<TrainAttempt> attempts, List<String> logTail, List<GpuUsage> usage, Long peakMemoryBytes) {
        double durationS = Duration.between(started, Instant.now()).toNanos() / 1e9;
        long preemptions = attempts.stream().filter(a -> a.outcome() == AttemptOutcome.PREEMPTED).count();
        String where = config.backend() == TrainBackend.LOCAL ? "locally" : "on Kubernetes (Job " + jobName + ")";
        String summary = outcome.isSuccess()
                ? String.format(Locale.ROOT, "Training succeeded %s in %s, %d attempt%s%s.", where,
                        Durations.format(Duration.ofMillis((long) (durationS * 1000))), attempts.size(),
                        attempts.size() == 1 ? "" : "s", gpuType == null ? "" : " on " + gpuType)
                : Sentences.capitalise(failure != null && outcome == AttemptOutcome.FAILED ? failure.message() : message);
        List<String> excerpt = failure != null ? failure.evidence()
                : List.copyOf(logTail.subList(Math.max(0, logTail.size() - PASSING_EXCERPT), logTail.size())); // serializable
        Integer exitCode = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).exitCode();
        return new TrainResult(TrainResult.SCHEMA, TrainResult.STEP, Status.worstOf(checks), started, durationS, summary,
                checks, config.backend(), jobName, namespace, image, config.gpus(), gpuType,
                Redaction.redactCommand(config.command()), outcome, failure == null ? null : failure.kind(),
                outcome.isSuccess() ? null : failure != null ? failure.message() : message, exitCode,
                config.timeout().toMillis() / 1000.0, attempts, preemptions, excerpt, usage, peakMemoryBytes);
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
