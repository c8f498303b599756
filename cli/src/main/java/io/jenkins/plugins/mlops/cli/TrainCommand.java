package io.jenkins.plugins.mlops.cli;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.report.TrainPanels;
import io.jenkins.plugins.mlops.train.GpuPodSpec;
import io.jenkins.plugins.mlops.train.GpuTraining;
import io.jenkins.plugins.mlops.train.SecretEnv;
import io.jenkins.plugins.mlops.train.TrainBackend;
import io.jenkins.plugins.mlops.train.TrainConfig;
import io.jenkins.plugins.mlops.train.TrainResult;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlops train}: full training on a GPU, as a Kubernetes Job or on this machine. */
@Command(name = "train",
        description = "Runs full training on a GPU: as a Kubernetes Job (GPU resources, GPU product selector,"
                + " /dev/shm, deadline, preemption retried, log streamed, Job deleted afterwards) or on this machine"
                + " (--backend local: CUDA_VISIBLE_DEVICES set, GPU use sampled through nvidia-smi).",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        versionProvider = MlopsCommand.Version.class,
        footerHeading = "%nExamples:%n",
        footer = {
            "  mlops train --gpus 1 --gpu-type NVIDIA-A100-SXM4-80GB \\",
            "      --image ghcr.io/acme/churn-train:1.4 --memory 32Gi --timeout 6h \\",
            "      --report reports -- python train.py --epochs 20",
            "  mlops train --dry-run --image ghcr.io/acme/churn-train:1.4 -- python train.py",
            "",
            "Exit codes: 0 trained, 1 training failed, 2 bad input, 3 cluster unreachable."
        })
public final class TrainCommand extends StepCommand<TrainResult> {

    /** What --dry-run prints. */
    enum DryRun { JOB, POD_TEMPLATE }

    @Option(names = "--backend", defaultValue = "kubernetes", showDefaultValue = Visibility.ALWAYS,
            paramLabel = "local|kubernetes", description = "Where to train.")
    TrainBackend backend;

    @Option(names = "--gpus", defaultValue = "1", showDefaultValue = Visibility.ALWAYS, paramLabel = "N",
            description = "GPUs (nvidia.com/gpu); 0 trains on CPU.")
    int gpus;

    @Option(names = "--gpu-type", paramLabel = "PRODUCT",
            description = "GPU product, as NVIDIA GPU feature discovery labels nodes (nvidia.com/gpu.product),"
                    + " e.g. NVIDIA-A100-SXM4-80GB.")
    String gpuType;

    @Option(names = "--image", paramLabel = "IMAGE", description = "Container image with the training code (Kubernetes).")
    String image;

    @Option(names = "--cpu", paramLabel = "C", description = "CPU request and limit, e.g. 8 or 3500m (Kubernetes).")
    String cpu;

    @Option(names = "--memory", paramLabel = "M", description = "Memory request and limit, e.g. 32Gi (Kubernetes).")
    String memory;

    @Option(names = "--shm-size", defaultValue = "8Gi", showDefaultValue = Visibility.ALWAYS, paramLabel = "S",
            description = "Memory-backed /dev/shm for DataLoader workers; counts against --memory (Kubernetes).")
    String shmSize;

    @Option(names = "--timeout", defaultValue = "24h", showDefaultValue = Visibility.ALWAYS, paramLabel = "T",
            converter = DurationConverter.class, description = "Time limit over all attempts.")
    Duration timeout;

    @Option(names = "--retries-on-preemption", defaultValue = "3", showDefaultValue = Visibility.ALWAYS, paramLabel = "K",
            description = "How often a preempted or evicted pod is replaced before the run fails.")
    int retriesOnPreemption;

    @Option(names = "--namespace", paramLabel = "NS", description = "Namespace (default: the kubeconfig context's).")
    String namespace;

    @Option(names = "--name", defaultValue = "mlops-train", showDefaultValue = Visibility.ALWAYS, paramLabel = "PREFIX",
            description = "Prefix of the Job's name; a random suffix makes it unique.")
    String name;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "Environment variable for the training command (repeatable).")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--secret-env", paramLabel = "NAME=SECRET:KEY",
            description = "Environment variable from a Kubernetes Secret's key (repeatable).")
    List<String> secretEnv = new ArrayList<>();

    @Option(names = "--unschedulable-grace", defaultValue = "10m", showDefaultValue = Visibility.ALWAYS, paramLabel = "T",
            converter = DurationConverter.class,
            description = "How long a pod may wait for a GPU node (time for a cluster autoscaler) before the run fails.")
    Duration unschedulableGrace;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Kubeconfig to use (default: KUBECONFIG, ~/.kube/config, or the in-cluster service account).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context (default: its current context).")
    String context;

    @Option(names = "--poll-interval", defaultValue = "5s", paramLabel = "T", hidden = true,
            converter = DurationConverter.class, description = "How often the Job's pods are read.")
    Duration pollInterval;

    @Option(names = "--dry-run", arity = "0..1", fallbackValue = "job", paramLabel = "job|pod-template",
            converter = DryRunConverter.class,
            description = "Print the Job YAML (or, with =pod-template, the pod YAML for the Jenkins kubernetes plugin)"
                    + " and exit 0 without running anything.")
    DryRun dryRun;

    @Parameters(paramLabel = "COMMAND", arity = "1..*",
            description = "The training command and its arguments, after --. Run as is, without a shell.")
    List<String> command = new ArrayList<>();

    @Override
    protected OptionalInt answerWithoutRunning() {
        if (dryRun == null) {
            return OptionalInt.empty();
        }
        GpuPodSpec pod = config().podSpec(GpuTraining.jobName(name));
        spec.commandLine().getOut().print(dryRun == DryRun.JOB ? pod.jobYaml() : pod.podTemplateYaml());
        spec.commandLine().getOut().flush();
        return OptionalInt.of(ExitCodes.PASSED);
    }

    @Override
    protected TrainResult runStep() {
        if (pollInterval.isZero()) {
            throw new BadInputException("--poll-interval must be longer than zero");
        }
        TrainConfig config = config();
        GpuTraining training = new GpuTraining(pollInterval);
        if (backend == TrainBackend.LOCAL) {
            return training.runLocal(config, this::progress);
        }
        GpuPodSpec pod = config.podSpec(GpuTraining.jobName(name));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig()).build()) {
            return training.runOnKubernetes(config, pod, client, this::progress);
        }
    }

    private TrainConfig config() {
        List<SecretEnv> secrets = secretEnv.stream().map(SecretEnv::parse).toList();
        return new TrainConfig(backend, command, gpus, gpuType, image, cpu, memory, shmSize, timeout,
                retriesOnPreemption, namespace, name, env, secrets, null, unschedulableGrace);
    }

    /**
     * The cluster from --kubeconfig, else fabric8's usual search. A few quick retries: an
     * unreachable cluster should fail the build in seconds, not after minutes of back-off.
     */
    private Config clientConfig() {
        Config base;
        if (kubeconfig != null) {
            if (!Files.isRegularFile(kubeconfig)) {
                throw new BadInputException("--kubeconfig " + kubeconfig + ": no such file");
            }
            try {
                base = Config.fromKubeconfig(context, new File(kubeconfig.toString()));
            } catch (RuntimeException e) {
                // Whatever the YAML parser threw, not its message: it quotes the file, and a kubeconfig holds tokens and keys.
                throw new BadInputException("--kubeconfig " + kubeconfig + ": not a kubeconfig (YAML with clusters,"
                        + " contexts and users)", e);
            }
        } else {
            try {
                base = Config.autoConfigure(context);
            } catch (KubernetesClientException e) {
                throw new InfrastructureException("cannot configure the Kubernetes client: " + e.getMessage(), e);
            }
        }
        requireContext(base);
        return new ConfigBuilder(base).withRequestRetryBackoffLimit(3).withRequestRetryBackoffInterval(250).build();
    }

    /** A --context the kubeconfig does not hold would otherwise fall back to its current context: another cluster. */
    private void requireContext(Config config) {
        if (context == null) {
            return;
        }
        List<String> known = config.getContexts() == null ? List.of()
                : config.getContexts().stream().map(NamedContext::getName).toList();
        if (!known.contains(context)) {
            String where = kubeconfig != null ? "--kubeconfig " + kubeconfig : "the kubeconfig (KUBECONFIG or ~/.kube/config)";
            throw new BadInputException("--context " + context + ": " + where
                    + (known.isEmpty() ? " has no contexts" : " has no such context; it has " + String.join(", ", known)));
        }
    }

    @Override
    protected String reportName() {
        return "train";
    }

    @Override
    protected String reportTitle() {
        return "Training";
    }

    @Override
    protected List<String> reportPanels(TrainResult result) {
        return List.of(TrainPanels.train(result));
    }

    /** Reads {@code job} or {@code pod-template}. */
    static final class DryRunConverter implements picocli.CommandLine.ITypeConverter<DryRun> {
        @Override
        public DryRun convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "job" -> DryRun.JOB;
                case "pod-template", "pod_template" -> DryRun.POD_TEMPLATE;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not job or pod-template");
            };
        }
    }
}
