package io.jenkins.plugins.mlops.train;

import static io.jenkins.plugins.mlops.params.ParameterType.COMMAND;
import static io.jenkins.plugins.mlops.params.ParameterType.DURATION;
import static io.jenkins.plugins.mlops.params.ParameterType.LIST;
import static io.jenkins.plugins.mlops.params.ParameterType.PAIRS;
import static io.jenkins.plugins.mlops.params.ParameterType.PATH;
import static io.jenkins.plugins.mlops.params.ParameterType.TEXT;
import static io.jenkins.plugins.mlops.params.ParameterType.WHOLE;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.params.FrontEnd;
import io.jenkins.plugins.mlops.params.Parameter;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import io.jenkins.plugins.mlops.params.ParameterValues;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything {@code trainOnGpu} ({@code mlops train}, the {@code train} stage) takes, read and
 * checked: the one place for their names, defaults and help ({@link #CATALOGUE}). The command may be
 * empty here: Jenkins' body form runs its body on the GPU pod instead; {@link TrainOnGpu} needs one.
 */
public record TrainParameters(TrainBackend backend, List<String> command, int gpus, String gpuType, String image,
        String cpu, String memory, String shmSize, Duration timeout, int retriesOnPreemption, String namespace,
        String name, Map<String, String> env, List<SecretEnv> secretEnv, Duration unschedulableGrace, String kubeconfig,
        String context) implements Serializable {

    /**
     * The parameters. The Jenkins step reaches the cluster as its agent does (KUBECONFIG, the pod's
     * service account) and its body form through the kubernetes plugin's cloud: no kubeconfig or context there.
     */
    public static final ParameterCatalogue CATALOGUE = new ParameterCatalogue("trainOnGpu", List.of(
            Parameter.choice("backend", "kubernetes", "Where to train: a Kubernetes Job, or this machine's GPUs (local).",
                    "kubernetes", "local"),
            Parameter.of("command", COMMAND, null, "The training command and its arguments, run as is, without a shell."),
            Parameter.of("gpus", WHOLE, "1", "GPUs (nvidia.com/gpu); 0 trains on CPU."),
            Parameter.of("gpuType", TEXT, null, "GPU product, as NVIDIA GPU feature discovery labels nodes "
                    + "(nvidia.com/gpu.product), e.g. NVIDIA-A100-SXM4-80GB."),
            Parameter.of("image", TEXT, null, "Container image with the training code (Kubernetes)."),
            Parameter.of("cpu", TEXT, null, "CPU request and limit, e.g. 8 or 3500m (Kubernetes)."),
            Parameter.of("memory", TEXT, null, "Memory request and limit, e.g. 32Gi (Kubernetes)."),
            Parameter.of("shmSize", TEXT, "8Gi", "Memory-backed /dev/shm for DataLoader workers; counts against the memory (Kubernetes)."),
            Parameter.of("timeout", DURATION, "24h", "Time limit over all attempts."),
            Parameter.of("retriesOnPreemption", WHOLE, "3", "How often a preempted or evicted pod is replaced before the run fails."),
            Parameter.of("namespace", TEXT, null, "Namespace (default: the kubeconfig context's)."),
            Parameter.of("name", TEXT, "mlops-train", "Prefix of the Job's name; a random suffix makes it unique."),
            Parameter.of("env", PAIRS, null, "Environment variables for the training command (several allowed).").labelled("NAME=VALUE"),
            Parameter.of("secretEnv", LIST, null, "Environment variables from a Kubernetes Secret's key (several allowed).")
                    .labelled("NAME=SECRET:KEY"),
            Parameter.of("unschedulableGrace", DURATION, "10m", "How long a pod may wait for a GPU node (time for a cluster "
                    + "autoscaler) before the run fails."),
            Parameter.of("kubeconfig", PATH, null, "Kubeconfig to use (default: KUBECONFIG, ~/.kube/config, or the "
                    + "in-cluster service account).").only(FrontEnd.CLI, FrontEnd.YAML),
            Parameter.of("context", TEXT, null, "Kubeconfig context (default: its current context).").only(FrontEnd.CLI, FrontEnd.YAML)));

    public static ParameterBuilder<TrainParameters> builder() {
        return new ParameterBuilder<>(CATALOGUE, TrainParameters::of);
    }

    public TrainParameters {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        secretEnv = List.copyOf(secretEnv);
    }

    private static TrainParameters of(ParameterValues v) {
        return new TrainParameters(TrainBackend.valueOf(v.text("backend").toUpperCase(Locale.ROOT)), v.list("command"),
                count(v.whole("gpus"), "--gpus"), v.text("gpuType"), v.text("image"), v.text("cpu"), v.text("memory"),
                v.text("shmSize"), v.duration("timeout"), count(v.whole("retriesOnPreemption"), "--retries-on-preemption"),
                v.text("namespace"), v.text("name"), v.pairs("env"), v.list("secretEnv").stream().map(SecretEnv::parse).toList(),
                v.duration("unschedulableGrace"), v.path("kubeconfig"), v.text("context"));
    }

    /** The run of {@code command} starting in {@code workingDirectory} (a local run's), checked as a whole. */
    public TrainConfig config(List<String> command, String workingDirectory) {
        return new TrainConfig(backend, command, gpus, gpuType, image, cpu, memory, shmSize, timeout, retriesOnPreemption,
                namespace, name, env, secretEnv, workingDirectory, unschedulableGrace);
    }

    private static int count(long value, String option) {
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new BadInputException(option + " must not be negative, was " + value);
        }
        return (int) value;
    }
}
