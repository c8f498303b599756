package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.jenkins.SecretMasker;
import io.jenkins.plugins.mlops.jenkins.actions.DeployAction;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.revision.DeployParameters;
import io.jenkins.plugins.mlops.revision.DeployResult;
import io.jenkins.plugins.mlops.revision.DeployStep;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.StepExecutions;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code deployModel}: the candidate revision onto Kubernetes at zero traffic, as {@code mlops
 * deploy} does, from the agent that holds the workspace (and the kubeconfig a file credential put there).
 * <pre>
 * withCredentials([file(credentialsId: 'models-kubeconfig', variable: 'KUBECONFIG_FILE')]) {
 *   def d = deployModel model: 'models:/churn/3', virtualService: 'churn', namespace: 'models',
 *       kubeconfig: env.KUBECONFIG_FILE
 *   canaryRollout backend: 'istio', virtualService: 'churn', candidateSubset: d.candidate_subset, ...
 * }
 * </pre>
 * The parameters are core's ({@link DeployParameters#CATALOGUE}) but for {@code registry} (the
 * model registry, with its credentials from Jenkins).
 */
public class DeployModelStep extends MlopsStep {
    private static final StepParameters PARAMETERS = new StepParameters(DeployParameters.CATALOGUE, Map.of());

    private final TreeMap<String, Object> values = new TreeMap<>();
    private String registry;

    @DataBoundConstructor
    public DeployModelStep(String model) {
        PARAMETERS.set(values, "model", model);
    }

    public String getModel() {
        return PARAMETERS.text(values, "model");
    }

    /** The model registry; default: the global configuration's. */
    @CheckForNull
    public String getRegistry() {
        return registry;
    }

    @DataBoundSetter
    public void setRegistry(String registry) {
        this.registry = Util.fixEmptyAndTrim(registry);
    }

    @CheckForNull
    public String getImage() {
        return PARAMETERS.text(values, "image");
    }

    @DataBoundSetter
    public void setImage(String image) {
        PARAMETERS.set(values, "image", image);
    }

    @CheckForNull
    public String getMode() {
        return PARAMETERS.text(values, "mode");
    }

    @DataBoundSetter
    public void setMode(String mode) {
        PARAMETERS.set(values, "mode", mode);
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
    public String getApp() {
        return PARAMETERS.text(values, "app");
    }

    @DataBoundSetter
    public void setApp(String app) {
        PARAMETERS.set(values, "app", app);
    }

    @CheckForNull
    public String getCandidateSubset() {
        return PARAMETERS.text(values, "candidateSubset");
    }

    @DataBoundSetter
    public void setCandidateSubset(String candidateSubset) {
        PARAMETERS.set(values, "candidateSubset", candidateSubset);
    }

    @CheckForNull
    public String getVirtualService() {
        return PARAMETERS.text(values, "virtualService");
    }

    @DataBoundSetter
    public void setVirtualService(String virtualService) {
        PARAMETERS.set(values, "virtualService", virtualService);
    }

    @CheckForNull
    public String getHost() {
        return PARAMETERS.text(values, "host");
    }

    @DataBoundSetter
    public void setHost(String host) {
        PARAMETERS.set(values, "host", host);
    }

    @CheckForNull
    public String getDestinationRule() {
        return PARAMETERS.text(values, "destinationRule");
    }

    @DataBoundSetter
    public void setDestinationRule(String destinationRule) {
        PARAMETERS.set(values, "destinationRule", destinationRule);
    }

    @CheckForNull
    public String getInferenceService() {
        return PARAMETERS.text(values, "inferenceService");
    }

    @DataBoundSetter
    public void setInferenceService(String inferenceService) {
        PARAMETERS.set(values, "inferenceService", inferenceService);
    }

    @CheckForNull
    public String getStorageUri() {
        return PARAMETERS.text(values, "storageUri");
    }

    @DataBoundSetter
    public void setStorageUri(String storageUri) {
        PARAMETERS.set(values, "storageUri", storageUri);
    }

    public long getPort() {
        return PARAMETERS.whole(values, "port");
    }

    @DataBoundSetter
    public void setPort(long port) {
        PARAMETERS.set(values, "port", port);
    }

    public long getReplicas() {
        return PARAMETERS.whole(values, "replicas");
    }

    @DataBoundSetter
    public void setReplicas(long replicas) {
        PARAMETERS.set(values, "replicas", replicas);
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
    public String getReadyTimeout() {
        return PARAMETERS.text(values, "readyTimeout");
    }

    @DataBoundSetter
    public void setReadyTimeout(String readyTimeout) {
        PARAMETERS.set(values, "readyTimeout", readyTimeout);
    }

    public boolean isRollback() {
        return Boolean.parseBoolean(PARAMETERS.text(values, "rollback"));
    }

    @DataBoundSetter
    public void setRollback(boolean rollback) {
        PARAMETERS.set(values, "rollback", rollback);
    }

    @CheckForNull
    public String getKubeconfig() {
        return PARAMETERS.text(values, "kubeconfig");
    }

    @DataBoundSetter
    public void setKubeconfig(String kubeconfig) {
        PARAMETERS.set(values, "kubeconfig", kubeconfig);
    }

    @CheckForNull
    public String getContext() {
        return PARAMETERS.text(values, "context");
    }

    @DataBoundSetter
    public void setContext(String context) {
        PARAMETERS.set(values, "context", context);
    }

    @CheckForNull
    public String getTimeout() {
        return PARAMETERS.text(values, "timeout");
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        PARAMETERS.set(values, "timeout", timeout);
    }

    @Override
    public StepExecution start(StepContext context) {
        return StepExecutions.synchronousNonBlocking(context, c -> {
            StepRun run = StepRun.of(c);
            DeployParameters checked = PARAMETERS.build(values, DeployParameters.builder());
            RegistryAccess access = RegistryAccess.forStep(registry, run.run(), DeployResult.STEP);
            Call call = new Call(run.listener(), access.credentials().masker(), getReport(), access, checked);
            return ResultMaps.of(run.execute(call, DeployAction::new, Status.FAIL, isUnstableOnFailure()));
        });
    }

    static final class Call extends RegistryEngineCall<DeployParameters, DeployResult> {
        private static final long serialVersionUID = 1L;

        Call(TaskListener listener, SecretMasker masker, String report, RegistryAccess access, DeployParameters parameters) {
            super(listener, masker, report, access, parameters);
        }

        @Override
        protected String stepName() {
            return DeployResult.STEP;
        }

        @Override
        protected ReportKind<DeployResult> kind() {
            return ReportKind.DEPLOY;
        }

        /** Runs on the agent that holds the workspace, where a relative kubeconfig is. */
        @Override
        protected DeployResult run(Path workspace, Consumer<String> progress) {
            return DeployStep.run(parameters, registry, credentials, workspace, progress);
        }
    }

    @Extension
    @Symbol("deployModel")
    public static final class DescriptorImpl extends MlopsStepDescriptor {
        @Override
        public String getFunctionName() {
            return "deployModel";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.DeployModelStep_DisplayName();
        }

        @Override
        protected String[] summaryArguments() {
            return new String[] {"model", "mode"};
        }

        public FormValidation doCheckModel(@QueryParameter String value) {
            return FormChecks.required(DeployParameters.CATALOGUE, "model", value, "a model version (models:/NAME/VERSION)");
        }
    }
}
