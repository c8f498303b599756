package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.Util;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.jenkins.MlopsConfiguration;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.jenkins.SecretMasker;
import io.jenkins.plugins.mlops.jenkins.actions.TrainAction;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.train.Durations;
import io.jenkins.plugins.mlops.train.GpuPodSpec;
import io.jenkins.plugins.mlops.train.GpuTraining;
import io.jenkins.plugins.mlops.train.SecretEnv;
import io.jenkins.plugins.mlops.train.TrainBackend;
import io.jenkins.plugins.mlops.train.TrainConfig;
import io.jenkins.plugins.mlops.train.TrainResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.StepExecutions;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code trainOnGpu}: full training on GPUs. Two forms share these parameters:
 * <ul>
 * <li>with a body, {@code trainOnGpu(gpus: 2, gpuType: 'NVIDIA-A100-SXM4-80GB', image: '...') { sh 'python train.py' }},
 *     the {@link TrainOnGpuVariable global variable} runs the body on a GPU agent pod that the
 *     kubernetes plugin provisions from {@link #podTemplateArguments()} (core's {@link GpuPodSpec});
 * <li>without one, {@code trainOnGpu(command: 'python train.py', ...)}, this step runs core's
 *     Kubernetes Job launcher (or, with {@code backend: 'local'}, the command on this agent's GPUs)
 *     from the agent that holds the workspace, and returns the training result as a map.
 * </ul>
 */
public class TrainOnGpuStep extends MlopsStep {
    private String command;
    private String backend = "kubernetes";
    private int gpus = 1;
    private String gpuType;
    private String image;
    private String cpu;
    private String memory;
    private String shmSize = "8Gi";
    private String timeout = "24h";
    private int retriesOnPreemption = 3;
    private String namespace;
    private String name = "mlops-train";
    private String env;
    private String secretEnv;
    private String unschedulableGrace = "10m";
    private String cloud;
    private int retries;

    @DataBoundConstructor
    public TrainOnGpuStep() {}

    /** The training command of the body-less form (run without a shell; quotes group words). */
    @CheckForNull
    public String getCommand() {
        return command;
    }

    @DataBoundSetter
    public void setCommand(String command) {
        this.command = Util.fixEmptyAndTrim(command);
    }

    public String getBackend() {
        return backend;
    }

    @DataBoundSetter
    public void setBackend(String backend) {
        this.backend = Util.fixEmptyAndTrim(backend) == null ? "kubernetes" : backend.trim().toLowerCase(Locale.ROOT);
    }

    public int getGpus() {
        return gpus;
    }

    @DataBoundSetter
    public void setGpus(int gpus) {
        this.gpus = gpus;
    }

    @CheckForNull
    public String getGpuType() {
        return gpuType;
    }

    @DataBoundSetter
    public void setGpuType(String gpuType) {
        this.gpuType = Util.fixEmptyAndTrim(gpuType);
    }

    @CheckForNull
    public String getImage() {
        return image;
    }

    @DataBoundSetter
    public void setImage(String image) {
        this.image = Util.fixEmptyAndTrim(image);
    }

    @CheckForNull
    public String getCpu() {
        return cpu;
    }

    @DataBoundSetter
    public void setCpu(String cpu) {
        this.cpu = Util.fixEmptyAndTrim(cpu);
    }

    @CheckForNull
    public String getMemory() {
        return memory;
    }

    @DataBoundSetter
    public void setMemory(String memory) {
        this.memory = Util.fixEmptyAndTrim(memory);
    }

    public String getShmSize() {
        return shmSize;
    }

    @DataBoundSetter
    public void setShmSize(String shmSize) {
        this.shmSize = Util.fixEmptyAndTrim(shmSize) == null ? "8Gi" : shmSize.trim();
    }

    public String getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        this.timeout = Util.fixEmptyAndTrim(timeout) == null ? "24h" : timeout.trim();
    }

    public int getRetriesOnPreemption() {
        return retriesOnPreemption;
    }

    @DataBoundSetter
    public void setRetriesOnPreemption(int retriesOnPreemption) {
        this.retriesOnPreemption = retriesOnPreemption;
    }

    @CheckForNull
    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Util.fixEmptyAndTrim(namespace);
    }

    public String getName() {
        return name;
    }

    @DataBoundSetter
    public void setName(String name) {
        this.name = Util.fixEmptyAndTrim(name) == null ? "mlops-train" : name.trim();
    }

    /** Environment variables, one {@code NAME=VALUE} per line. */
    @CheckForNull
    public String getEnv() {
        return env;
    }

    @DataBoundSetter
    public void setEnv(String env) {
        this.env = Util.fixEmptyAndTrim(env);
    }

    /** Variables from Kubernetes Secrets, {@code NAME=SECRET:KEY}, comma- or newline-separated. */
    @CheckForNull
    public String getSecretEnv() {
        return secretEnv;
    }

    @DataBoundSetter
    public void setSecretEnv(String secretEnv) {
        this.secretEnv = Util.fixEmptyAndTrim(secretEnv);
    }

    public String getUnschedulableGrace() {
        return unschedulableGrace;
    }

    @DataBoundSetter
    public void setUnschedulableGrace(String unschedulableGrace) {
        this.unschedulableGrace = Util.fixEmptyAndTrim(unschedulableGrace) == null ? "10m" : unschedulableGrace.trim();
    }

    /** The kubernetes plugin's cloud for the body form; default: the global configuration's. */
    @CheckForNull
    public String getCloud() {
        return cloud;
    }

    @DataBoundSetter
    public void setCloud(String cloud) {
        this.cloud = Util.fixEmptyAndTrim(cloud);
    }

    /** Body form: how often a lost agent (preempted node, deleted pod) is replaced; a failing script is not retried. */
    public int getRetries() {
        return retries;
    }

    @DataBoundSetter
    public void setRetries(int retries) {
        this.retries = retries;
    }

    private String effectiveImage() {
        return image != null ? image : MlopsConfiguration.get().getDefaultGpuImage();
    }

    /**
     * What the body form hands to {@code podTemplate}: core's GPU pod as YAML, the cloud and the
     * namespace, plus {@code container} (where the body runs) and {@code retries}. Validated here,
     * so a bad quantity or a missing image fails before any pod is asked for.
     */
    public Map<String, Object> podTemplateArguments() throws AbortException {
        if (command != null || !"kubernetes".equals(backend)) {
            throw new AbortException("trainOnGpu { ... }: the body is the training; command and backend are for the form"
                    + " without a body");
        }
        if (retries < 0) {
            throw new AbortException("trainOnGpu: retries must not be negative, was " + retries);
        }
        GpuPodSpec pod;
        try {
            // The container idles (sleep infinity) until the body's steps run in it.
            pod = new GpuPodSpec(GpuTraining.jobName(name), namespace, effectiveImage(), List.of("sleep", "infinity"), gpus,
                    gpuType, cpu, memory, shmSize, Durations.parse(timeout, "timeout"), 0, Lists.pairs(env, "env"),
                    secretEnvs(), Map.of());
        } catch (BadInputException e) {
            throw new AbortException("trainOnGpu: " + e.getMessage());
        }
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("yaml", pod.podTemplateYaml());
        String cloudName = cloud != null ? cloud : MlopsConfiguration.get().getDefaultCloud();
        if (cloudName != null) {
            template.put("cloud", cloudName);
        }
        if (namespace != null) {
            template.put("namespace", namespace);
        }
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("podTemplate", template);
        arguments.put("container", GpuPodSpec.CONTAINER);
        arguments.put("retries", retries);
        return arguments;
    }

    private List<SecretEnv> secretEnvs() {
        return Lists.items(secretEnv).stream().map(SecretEnv::parse).toList();
    }

    @Override
    public StepExecution start(StepContext context) {
        return StepExecutions.synchronousNonBlocking(context, c -> {
            StepRun run = StepRun.of(c);
            if (command == null) {
                throw new AbortException("trainOnGpu: give a command (the Kubernetes Job's training command), or a body"
                        + " to run on a GPU agent: trainOnGpu(gpus: 1, image: '...') { sh 'python train.py' }");
            }
            TrainBackend where = switch (backend) {
                case "kubernetes" -> TrainBackend.KUBERNETES;
                case "local" -> TrainBackend.LOCAL;
                default -> throw new AbortException("trainOnGpu: backend must be 'kubernetes' or 'local', not '" + backend + "'");
            };
            Call call = new Call(run.listener(), getReport(), where, Lists.command(command), gpus, gpuType, effectiveImage(), cpu,
                    memory, shmSize, timeout, retriesOnPreemption, namespace, name, Lists.pairs(env, "env"),
                    Lists.items(secretEnv), unschedulableGrace, run.env());
            return ResultMaps.of(run.execute(call, TrainAction::new, Status.FAIL, isUnstableOnFailure()));
        });
    }

    static final class Call extends EngineCall<TrainResult> {
        private static final long serialVersionUID = 1L;
        /** How often the Job's pods are read; the CLI's default. */
        static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

        private final TrainBackend backend;
        private final List<String> command;
        private final int gpus;
        private final String gpuType;
        private final String image;
        private final String cpu;
        private final String memory;
        private final String shmSize;
        private final String timeout;
        private final int retriesOnPreemption;
        private final String namespace;
        private final String name;
        private final Map<String, String> env;
        private final List<String> secretEnv;
        private final String unschedulableGrace;
        /** The build's environment, for backend local only (withEnv, withCredentials, tool PATHs); never sent to a Job. */
        private final EnvVars buildEnvironment;

        @SuppressWarnings("checkstyle:ParameterNumber") // one per CLI option, and the build's environment
        Call(TaskListener listener, String report, TrainBackend backend, List<String> command, int gpus, String gpuType,
                String image, String cpu, String memory, String shmSize, String timeout, int retriesOnPreemption,
                String namespace, String name, Map<String, String> env, List<String> secretEnv, String unschedulableGrace,
                EnvVars buildEnvironment) {
            super(listener, SecretMasker.NONE, report);
            this.backend = backend;
            this.command = command;
            this.gpus = gpus;
            this.gpuType = gpuType;
            this.image = image;
            this.cpu = cpu;
            this.memory = memory;
            this.shmSize = shmSize;
            this.timeout = timeout;
            this.retriesOnPreemption = retriesOnPreemption;
            this.namespace = namespace;
            this.name = name;
            this.env = env;
            this.secretEnv = secretEnv;
            this.unschedulableGrace = unschedulableGrace;
            this.buildEnvironment = buildEnvironment;
        }

        @Override
        protected String stepName() {
            return TrainResult.STEP;
        }

        @Override
        protected ReportKind<TrainResult> kind() {
            return ReportKind.TRAIN;
        }

        @Override
        protected TrainResult run(Path workspace, Consumer<String> progress) {
            TrainConfig config = new TrainConfig(backend, command, gpus, gpuType, image, cpu, memory, shmSize,
                    Durations.parse(timeout, "timeout"), retriesOnPreemption, namespace, name, env,
                    secretEnv.stream().map(SecretEnv::parse).toList(), workspace.toString(),
                    Durations.parse(unschedulableGrace, "unschedulableGrace"));
            GpuTraining training = new GpuTraining(POLL_INTERVAL);
            if (backend == TrainBackend.LOCAL) {
                return training.runLocal(config, buildEnvironment, progress);
            }
            GpuPodSpec pod = config.podSpec(GpuTraining.jobName(name));
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig()).build()) {
                return training.runOnKubernetes(config, pod, client, progress);
            }
        }

        /**
         * The cluster as this agent sees it (KUBECONFIG, ~/.kube/config, or the pod's service
         * account), with a few quick retries: an unreachable cluster should fail in seconds.
         */
        private static Config clientConfig() {
            try {
                return new ConfigBuilder(Config.autoConfigure(null)).withRequestRetryBackoffLimit(3)
                        .withRequestRetryBackoffInterval(250).build();
            } catch (KubernetesClientException e) {
                throw new InfrastructureException("cannot configure the Kubernetes client: " + e.getMessage(), e);
            }
        }
    }

    @Extension
    @Symbol("trainOnGpu")
    public static final class DescriptorImpl extends MlopsStepDescriptor {
        @Override
        public String getFunctionName() {
            return "trainOnGpu";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.TrainOnGpuStep_DisplayName();
        }

        @Override
        protected String[] summaryArguments() {
            return new String[] {"command", "gpuType", "image"};
        }

        public ListBoxModel doFillBackendItems() {
            ListBoxModel items = new ListBoxModel();
            items.add("Kubernetes Job", "kubernetes");
            items.add("This agent's GPUs", "local");
            return items;
        }

        public FormValidation doCheckGpus(@QueryParameter int value) {
            return value >= 0 ? FormValidation.ok() : FormValidation.error("0 or more (0 trains on CPU).");
        }
    }
}
