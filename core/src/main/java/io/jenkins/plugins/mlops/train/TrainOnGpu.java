package io.jenkins.plugins.mlops.train;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.process.LocalProcessLauncher;
import io.jenkins.plugins.mlops.process.ProcessStarter;
import io.jenkins.plugins.mlops.io.KubernetesConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code trainOnGpu} with a command, the one entry point of {@code mlops train}, the pipeline's
 * {@code train} stage and the Jenkins step: the run on this machine's GPUs, or a Kubernetes Job on
 * the cluster the kubeconfig names.
 */
public final class TrainOnGpu {
    /** How often the Job's pods are read. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

    private final Duration pollInterval;
    private final Consumer<String> progress;
    private final ProcessStarter starter;

    public TrainOnGpu(Consumer<String> progress) {
        this(POLL_INTERVAL, progress);
    }

    public TrainOnGpu(Duration pollInterval, Consumer<String> progress) {
        this(pollInterval, progress, new LocalProcessLauncher());
    }

    /** @param starter where backend {@code local} runs the command, e.g. a Jenkins step's (decorated) launcher */
    public TrainOnGpu(Duration pollInterval, Consumer<String> progress, ProcessStarter starter) {
        if (pollInterval.isZero() || pollInterval.isNegative()) {
            throw new BadInputException("--poll-interval must be longer than zero");
        }
        this.pollInterval = pollInterval;
        this.progress = progress;
        this.starter = starter;
    }

    /**
     * Runs the training.
     *
     * @param directory where a local run starts and a relative kubeconfig is
     * @param environment a local run's base environment, e.g. a Jenkins build's (withEnv, withCredentials,
     *     tool PATHs); never sent to a Job
     */
    public TrainResult run(TrainParameters p, Path directory, Map<String, String> environment) {
        // The empty path is the current directory, which a process inherits: no working directory to set.
        TrainConfig config = p.config(p.command(), directory.toString().isEmpty() ? null : directory.toString());
        GpuTraining training = new GpuTraining(starter, pollInterval);
        if (p.backend() == TrainBackend.LOCAL) {
            return training.runLocal(config, environment, progress);
        }
        GpuPodSpec pod = config.podSpec(GpuTraining.jobName(p.name()));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig(p, directory)).build()) {
            return training.runOnKubernetes(config, pod, client, progress);
        }
    }

    /** The cluster from the kubeconfig and context the parameters name. */
    static Config clientConfig(TrainParameters p, Path directory) {
        return KubernetesConfigs.of(p.kubeconfig(), p.context(), directory);
    }
}
