package io.jenkins.plugins.mlops.train;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The one place that knows how a GPU training pod looks. It renders a batch/v1 Job for
 * {@code mlops train} and a pod template for the Jenkins kubernetes plugin
 * ({@code podTemplate(yaml: ...)}), so both run the same pod.
 *
 * @param name the Job's name (a DNS label of at most 63 characters)
 * @param namespace the namespace, or {@code null} for the client's default
 * @param image the training image
 * @param command the training command (argv, no shell)
 * @param gpus GPUs requested through the NVIDIA device plugin's {@code nvidia.com/gpu} resource
 * @param gpuType the GPU product (the value of NVIDIA GPU feature discovery's {@code nvidia.com/gpu.product}
 *     node label, e.g. {@code NVIDIA-A100-SXM4-80GB}), or {@code null} for any
 * @param cpu CPU request and limit as a Kubernetes quantity, or {@code null}
 * @param memory memory request and limit as a Kubernetes quantity, or {@code null}
 * @param shmSize size of the memory-backed {@code /dev/shm}
 * @param deadline the longest the Job may run, over all its attempts
 * @param retriesOnPreemption how many times a preempted or evicted pod is replaced
 * @param env plain environment variables
 * @param secretEnv environment variables from Secrets
 * @param labels extra labels for the Job and its pods
 */
public record GpuPodSpec(String name, String namespace, String image, List<String> command, int gpus, String gpuType,
        String cpu, String memory, String shmSize, Duration deadline, int retriesOnPreemption, Map<String, String> env,
        List<SecretEnv> secretEnv, Map<String, String> labels) implements Serializable {

    /** The training container's name; {@code container('train') { ... }} in a Jenkinsfile. */
    public static final String CONTAINER = "train";
    public static final String GPU_RESOURCE = "nvidia.com/gpu";
    /** Node label set by NVIDIA GPU feature discovery (part of the GPU operator). */
    public static final String GPU_PRODUCT_LABEL = "nvidia.com/gpu.product";
    /** Label the Job controller puts on the pods of a Job. */
    public static final String JOB_NAME_LABEL = "job-name";
    /** How long a finished Job stays, for a person to look at, when nothing deletes it. */
    static final long FINISHED_TTL_SECONDS = 86_400;
    private static final String SHM_VOLUME = "dshm";

    public GpuPodSpec {
        Objects.requireNonNull(deadline, "deadline");
        command = List.copyOf(command);
        env = Map.copyOf(env);
        secretEnv = List.copyOf(secretEnv);
        labels = Map.copyOf(labels);
        if (name == null || !name.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new BadInputException("--name: '" + name + "' is not a valid Job name (lower-case letters, digits and '-', at most 63)");
        }
        if (image == null || image.isBlank()) {
            throw new BadInputException("--image is required for Kubernetes");
        }
        if (command.isEmpty()) {
            throw new BadInputException("no training command given (put it after --)");
        }
        if (gpus < 0) {
            throw new BadInputException("--gpus must not be negative, was " + gpus);
        }
        if (retriesOnPreemption < 0) {
            throw new BadInputException("--retries-on-preemption must not be negative, was " + retriesOnPreemption);
        }
        if (deadline.isZero() || deadline.isNegative()) {
            throw new BadInputException("--timeout must be longer than zero");
        }
        checkQuantity("--cpu", cpu);
        checkQuantity("--memory", memory);
        checkQuantity("--shm-size", Objects.requireNonNull(shmSize, "shmSize"));
        for (String variable : env.keySet()) {
            if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new BadInputException("--env: '" + variable + "' is not an environment variable name");
            }
        }
    }

    /** The Job {@code mlops train} creates: one pod at a time, preemption retried, real failures final. */
    public Job job() {
        return new JobBuilder()
                .withMetadata(metadata(name))
                .withNewSpec()
                    .withBackoffLimit(retriesOnPreemption)
                    .withActiveDeadlineSeconds(deadline.toSeconds())
                    .withTtlSecondsAfterFinished((int) FINISHED_TTL_SECONDS)
                    .withPodFailurePolicy(podFailurePolicy())
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels(name)).endMetadata()
                        .withSpec(podSpec(trainingContainer(command), null))
                    .endTemplate()
                .endSpec()
                .build();
    }

    /**
     * The pod for the Jenkins kubernetes plugin: the training container idles until the pipeline
     * runs its steps in it ({@code container('train') { sh ... }}); the plugin adds its own agent
     * container. The deadline goes on the pod, as there is no Job around it.
     */
    public Pod podTemplate() {
        Container idle = new ContainerBuilder(trainingContainer(List.of()))
                .withCommand("sleep")
                .withArgs("infinity")
                .build();
        return new PodBuilder()
                .withNewMetadata().withLabels(labels(name)).endMetadata()
                .withSpec(podSpec(idle, deadline.toSeconds()))
                .build();
    }

    public String jobYaml() {
        return yaml(job());
    }

    public String podTemplateYaml() {
        return yaml(podTemplate());
    }

    /**
     * Preemption and eviction (the pod's DisruptionTarget condition) use up one of the
     * {@code retriesOnPreemption}; a non-zero exit of the training container fails the Job at once,
     * since running a broken script again only burns GPU hours.
     */
    PodFailurePolicy podFailurePolicy() {
        return new PodFailurePolicyBuilder()
                .addNewRule()
                    .withAction("Count")
                    .addNewOnPodCondition().withType("DisruptionTarget").withStatus("True").endOnPodCondition()
                .endRule()
                .addNewRule()
                    .withAction("FailJob")
                    .withNewOnExitCodes().withContainerName(CONTAINER).withOperator("NotIn").withValues(0).endOnExitCodes()
                .endRule()
                .build();
    }

    private PodSpec podSpec(Container container, Long activeDeadlineSeconds) {
        PodSpecBuilder spec = new PodSpecBuilder()
                .withRestartPolicy("Never")
                .withContainers(container)
                .withActiveDeadlineSeconds(activeDeadlineSeconds)
                // Docker's and Kubernetes' 64 MiB /dev/shm kills PyTorch DataLoader workers ("bus error").
                .addNewVolume()
                    .withName(SHM_VOLUME)
                    .withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity(shmSize)).endEmptyDir()
                .endVolume();
        if (gpus > 0) {
            // GPU nodes are usually tainted so that only pods asking for GPUs land there.
            spec.addNewToleration().withKey(GPU_RESOURCE).withOperator("Exists").withEffect("NoSchedule").endToleration();
        }
        if (gpuType != null) {
            spec.withNodeSelector(Map.of(GPU_PRODUCT_LABEL, gpuType));
        }
        return spec.build();
    }

    private Container trainingContainer(List<String> argv) {
        Map<String, Quantity> limits = new LinkedHashMap<>();
        Map<String, Quantity> requests = new LinkedHashMap<>();
        if (gpus > 0) {
            limits.put(GPU_RESOURCE, new Quantity(String.valueOf(gpus)));
        }
        if (cpu != null) {
            limits.put("cpu", new Quantity(cpu));
            requests.put("cpu", new Quantity(cpu));
        }
        if (memory != null) {
            limits.put("memory", new Quantity(memory));
            requests.put("memory", new Quantity(memory));
        }
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(image)
                .withCommand(argv.isEmpty() ? null : argv)
                .withEnv(environment())
                .withResources(new ResourceRequirementsBuilder().withLimits(limits).withRequests(requests).build())
                .addNewVolumeMount().withName(SHM_VOLUME).withMountPath("/dev/shm").endVolumeMount()
                .build();
    }

    private List<EnvVar> environment() {
        List<EnvVar> vars = new ArrayList<>();
        new TreeMap<>(env).forEach((key, value) -> vars.add(new EnvVar(key, value, null)));
        for (SecretEnv secret : secretEnv) {
            vars.add(new EnvVarBuilder().withName(secret.name())
                    .withNewValueFrom().withNewSecretKeyRef().withName(secret.secret()).withKey(secret.key()).endSecretKeyRef()
                    .endValueFrom().build());
        }
        return vars;
    }

    private ObjectMeta metadata(String objectName) {
        return new ObjectMetaBuilder().withName(objectName).withNamespace(namespace).withLabels(labels(objectName)).build();
    }

    private Map<String, String> labels(String instance) {
        Map<String, String> all = new TreeMap<>(labels);
        all.put("app.kubernetes.io/name", "mlops-train");
        all.put("app.kubernetes.io/instance", instance);
        all.put("app.kubernetes.io/component", "training");
        all.put("app.kubernetes.io/managed-by", "mlops");
        return all;
    }

    private static String yaml(Object resource) {
        return Serialization.asYaml(resource).replaceFirst("^---\\n", "");
    }

    private static void checkQuantity(String option, String value) {
        if (value == null) {
            return;
        }
        try {
            if (Quantity.getAmountInBytes(new Quantity(value)).signum() <= 0) {
                throw new BadInputException(option + ": '" + value + "' must be more than zero");
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new BadInputException(option + ": '" + value + "' is not a Kubernetes quantity (e.g. 4, 500m, 16Gi)");
        }
    }
}
