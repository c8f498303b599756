package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.Launcher;
import hudson.Util;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.jenkins.MlopsConfiguration;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.jenkins.SecretMasker;
import io.jenkins.plugins.mlops.jenkins.actions.TrainAction;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.train.GpuPodSpec;
import io.jenkins.plugins.mlops.train.GpuTraining;
import io.jenkins.plugins.mlops.train.TrainBackend;
import io.jenkins.plugins.mlops.train.TrainOnGpu;
import io.jenkins.plugins.mlops.train.TrainParameters;
import io.jenkins.plugins.mlops.train.TrainResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
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
 * The parameters are core's ({@link TrainParameters#CATALOGUE}) but for the body form's {@code cloud}
 * and {@code retries}, which only Jenkins has.
 */
public class TrainOnGpuStep extends MlopsStep {
    private static final StepParameters PARAMETERS = new StepParameters(TrainParameters.CATALOGUE, Map.of());

    private final TreeMap<String, Object> values = new TreeMap<>();
    private String cloud;
    private int retries;

    @DataBoundConstructor
    public TrainOnGpuStep() {}

    /** The training command of the body-less form (run without a shell; quotes group words). */
    @CheckForNull
    public String getCommand() {
        return PARAMETERS.text(values, "command");
    }

    @DataBoundSetter
    public void setCommand(String command) {
        PARAMETERS.set(values, "command", command);
    }

    @CheckForNull
    public String getBackend() {
        return PARAMETERS.text(values, "backend");
    }

    @DataBoundSetter
    public void setBackend(String backend) {
        PARAMETERS.set(values, "backend", backend);
    }

    public int getGpus() {
        return (int) PARAMETERS.whole(values, "gpus");
    }

    @DataBoundSetter
    public void setGpus(int gpus) {
        PARAMETERS.set(values, "gpus", gpus);
    }

    @CheckForNull
    public String getGpuType() {
        return PARAMETERS.text(values, "gpuType");
    }

    @DataBoundSetter
    public void setGpuType(String gpuType) {
        PARAMETERS.set(values, "gpuType", gpuType);
    }

    /** The image; default: the global configuration's. */
    @CheckForNull
    public String getImage() {
        return PARAMETERS.text(values, "image");
    }

    @DataBoundSetter
    public void setImage(String image) {
        PARAMETERS.set(values, "image", image);
    }

    @CheckForNull
    public String getCpu() {
        return PARAMETERS.text(values, "cpu");
    }

    @DataBoundSetter
    public void setCpu(String cpu) {
        PARAMETERS.set(values, "cpu", cpu);
    }

    @CheckForNull
    public String getMemory() {
        return PARAMETERS.text(values, "memory");
    }

    @DataBoundSetter
    public void setMemory(String memory) {
        PARAMETERS.set(values, "memory", memory);
    }

    @CheckForNull
    public String getShmSize() {
        return PARAMETERS.text(values, "shmSize");
    }

    @DataBoundSetter
    public void setShmSize(String shmSize) {
        PARAMETERS.set(values, "shmSize", shmSize);
    }

    @CheckForNull
    public String getTimeout() {
        return PARAMETERS.text(values, "timeout");
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        PARAMETERS.set(values, "timeout", timeout);
    }

    public int getRetriesOnPreemption() {
        return (int) PARAMETERS.whole(values, "retriesOnPreemption");
    }

    @DataBoundSetter
    public void setRetriesOnPreemption(int retriesOnPreemption) {
        PARAMETERS.set(values, "retriesOnPreemption", retriesOnPreemption);
    }

    @CheckForNull
    public String getNamespace() {
        return PARAMETERS.text(values, "namespace");
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        PARAMETERS.set(values, "namespace", namespace);
    }

    @CheckForNull
    public String getName() {
        return PARAMETERS.text(values, "name");
    }

    @DataBoundSetter
    public void setName(String name) {
        PARAMETERS.set(values, "name", name);
    }

    /** Environment variables, one {@code NAME=VALUE} per line. */
    @CheckForNull
    public String getEnv() {
        return PARAMETERS.text(values, "env");
    }

    @DataBoundSetter
    public void setEnv(String env) {
        PARAMETERS.set(values, "env", env);
    }

    /** Variables from Kubernetes Secrets, {@code NAME=SECRET:KEY}, comma- or newline-separated. */
    @CheckForNull
    public String getSecretEnv() {
        return PARAMETERS.text(values, "secretEnv");
    }

    @DataBoundSetter
    public void setSecretEnv(String secretEnv) {
        PARAMETERS.set(values, "secretEnv", secretEnv);
    }

    @CheckForNull
    public String getUnschedulableGrace() {
        return PARAMETERS.text(values, "unschedulableGrace");
    }

    @DataBoundSetter
    public void setUnschedulableGrace(String unschedulableGrace) {
        PARAMETERS.set(values, "unschedulableGrace", unschedulableGrace);
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

    /** The parameters, checked by core; the image defaults to the global configuration's, secretEnv splits on commas too. */
    private TrainParameters parameters() throws AbortException {
        Map<String, Object> given = new TreeMap<>(values);
        given.computeIfPresent("secretEnv", (name, text) -> Lists.items(String.valueOf(text)));
        given.putIfAbsent("image", MlopsConfiguration.get().getDefaultGpuImage());
        return PARAMETERS.build(given, TrainParameters.builder());
    }

    /**
     * What the body form hands to {@code podTemplate}: core's GPU pod as YAML, the cloud and the
     * namespace, plus {@code container} (where the body runs) and {@code retries}. Validated here,
     * so a bad quantity or a missing image fails before any pod is asked for.
     */
    public Map<String, Object> podTemplateArguments() throws AbortException {
        TrainParameters p = parameters();
        if (!p.command().isEmpty() || p.backend() != TrainBackend.KUBERNETES) {
            throw new AbortException("trainOnGpu { ... }: the body is the training; command and backend are for the form"
                    + " without a body");
        }
        if (retries < 0) {
            throw new AbortException("trainOnGpu: retries must not be negative, was " + retries);
        }
        GpuPodSpec pod;
        try {
            // The container idles (sleep infinity) until the body's steps run in it.
            pod = new GpuPodSpec(GpuTraining.jobName(p.name()), p.namespace(), p.image(), List.of("sleep", "infinity"),
                    p.gpus(), p.gpuType(), p.cpu(), p.memory(), p.shmSize(), p.timeout(), 0, p.env(), p.secretEnv(), Map.of());
        } catch (BadInputException e) {
            throw new AbortException("trainOnGpu: " + e.getMessage());
        }
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("yaml", pod.podTemplateYaml());
        String cloudName = cloud != null ? cloud : MlopsConfiguration.get().getDefaultCloud();
        if (cloudName != null) {
            template.put("cloud", cloudName);
        }
        if (p.namespace() != null) {
            template.put("namespace", p.namespace());
        }
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("podTemplate", template);
        arguments.put("container", GpuPodSpec.CONTAINER);
        arguments.put("retries", retries);
        return arguments;
    }

    /**
     * The command form. Like a rollout it holds a resource outside Jenkins (a GPU Job, or a process
     * on the agent) that a restart would orphan, so it runs as an {@link InterruptibleEngineExecution}:
     * an abort deletes the Job or kills the process before the step ends, a safe restart waits for
     * it, and after a hard restart the step fails naming what may still run.
     */
    @Override
    public StepExecution start(StepContext context) {
        return new InterruptibleEngineExecution(context, TrainResult.STEP, leftRunningOnRestart(), (c, interruptId) -> {
            StepRun run = StepRun.of(c);
            TrainParameters checked = parameters();
            if (checked.command().isEmpty()) {
                throw new AbortException("trainOnGpu: give a command (the Kubernetes Job's training command), or a body"
                        + " to run on a GPU agent: trainOnGpu(gpus: 1, image: '...') { sh 'python train.py' }");
            }
            Call call = new Call(run.listener(), getReport(), checked, run.env(),
                    ContextLauncher.forStep(c.get(Launcher.class), run.listener(), run.workspace()));
            return ResultMaps.of(run.execute(call.interruptibleAs(interruptId), TrainAction::new, Status.FAIL,
                    isUnstableOnFailure()));
        });
    }

    /** What a hard restart of the controller can leave behind mid-training, for the failed step's message. */
    private String leftRunningOnRestart() {
        if ("local".equals(getBackend())) {
            return "the training process it started on the agent may still run until the agent's JVM stops";
        }
        Object name = values.getOrDefault("name", "mlops-train");
        Object namespace = values.getOrDefault("namespace", "the kubeconfig context's namespace");
        return "its Kubernetes Job (" + name + "-xxxxx, in " + namespace + ") may still hold GPUs until its time limit;"
                + " find it with kubectl get jobs -n NAMESPACE and delete it";
    }

    static final class Call extends EngineCall<TrainResult> {
        private static final long serialVersionUID = 1L;

        private final TrainParameters parameters;
        /** The build's environment, for backend local only (withEnv, withCredentials, tool PATHs); never sent to a Job. */
        private final EnvVars buildEnvironment;
        /** Backend local: the step's decorated launcher (container()), or null to start the command on the agent itself. */
        @CheckForNull
        private final ContextLauncher.Starter starter;

        Call(TaskListener listener, String report, TrainParameters parameters, EnvVars buildEnvironment,
                @CheckForNull ContextLauncher.Starter starter) {
            super(listener, SecretMasker.NONE, report);
            this.parameters = parameters;
            this.buildEnvironment = buildEnvironment;
            this.starter = starter;
        }

        @Override
        protected String stepName() {
            return TrainResult.STEP;
        }

        @Override
        protected ReportKind<TrainResult> kind() {
            return ReportKind.TRAIN;
        }

        /** The cluster is the one this agent sees: KUBECONFIG, ~/.kube/config, or the pod's service account. */
        @Override
        protected TrainResult run(Path workspace, Consumer<String> progress) {
            TrainOnGpu training = starter == null ? new TrainOnGpu(progress)
                    : new TrainOnGpu(TrainOnGpu.POLL_INTERVAL, progress, starter);
            return training.run(parameters, workspace, buildEnvironment);
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

        public FormValidation doCheckGpus(@QueryParameter String value) {
            FormValidation number = FormChecks.value(TrainParameters.CATALOGUE, "gpus", value);
            if (number.kind != FormValidation.Kind.OK || value == null || value.isBlank()) {
                return number;
            }
            return Long.parseLong(value.strip()) >= 0 ? FormValidation.ok() : FormValidation.error("0 or more (0 trains on CPU).");
        }

        public FormValidation doCheckTimeout(@QueryParameter String value) {
            return FormChecks.value(TrainParameters.CATALOGUE, "timeout", value);
        }
    }
}
