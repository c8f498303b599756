package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.TaskListener;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.util.FormValidation;
import org.kohsuke.stapler.verb.POST;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlops.image.RegistryAuth;
import io.jenkins.plugins.mlops.jenkins.CredentialItems;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.jenkins.SecretMasker;
import io.jenkins.plugins.mlops.jenkins.actions.PackageAction;
import io.jenkins.plugins.mlops.jenkins.MlflowCredentials;
import io.jenkins.plugins.mlops.packaging.ModelUri;
import io.jenkins.plugins.mlops.packaging.PackageParameters;
import io.jenkins.plugins.mlops.packaging.PackageResult;
import io.jenkins.plugins.mlops.packaging.PackageStep;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.StepExecutions;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code packageModel}: the model as an OCI image served by MLflow's scoring server, built on the
 * agent without a Docker daemon, pushed with a username/password credentials id, and named by
 * digest on the model version, as {@code mlops package} does.
 * <pre>
 * def img = packageModel model: 'models:/churn@staging', image: 'registry.example.com/ml/churn:${BUILD_NUMBER}',
 *     base: 'registry.example.com/base/python:3.11', credentialsId: 'registry-push'
 * echo "pushed ${img.image}"
 * </pre>
 * The parameters are core's ({@link PackageParameters#CATALOGUE}) but for {@code registry} (the
 * model registry, with its credentials from Jenkins) and {@code credentialsId} (the image registry's).
 */
public class PackageModelStep extends MlopsStep {
    private static final StepParameters PARAMETERS = new StepParameters(PackageParameters.CATALOGUE, Map.of());

    private final TreeMap<String, Object> values = new TreeMap<>();
    private String registry;
    private String credentialsId;

    @DataBoundConstructor
    public PackageModelStep(String model) {
        PARAMETERS.set(values, "model", model);
    }

    public String getModel() {
        return PARAMETERS.text(values, "model");
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
    public String getBase() {
        return PARAMETERS.text(values, "base");
    }

    @DataBoundSetter
    public void setBase(String base) {
        PARAMETERS.set(values, "base", base);
    }

    /** The image registry's username/password credentials; none pushes anonymously. */
    @CheckForNull
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
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

    public String getPython() {
        return PARAMETERS.text(values, "python");
    }

    @DataBoundSetter
    public void setPython(String python) {
        PARAMETERS.set(values, "python", python);
    }

    public String getWheelCache() {
        return PARAMETERS.text(values, "wheelCache");
    }

    @DataBoundSetter
    public void setWheelCache(String wheelCache) {
        PARAMETERS.set(values, "wheelCache", wheelCache);
    }

    public long getPort() {
        return PARAMETERS.whole(values, "port");
    }

    @DataBoundSetter
    public void setPort(long port) {
        PARAMETERS.set(values, "port", port);
    }

    @CheckForNull
    public String getInferenceService() {
        return PARAMETERS.text(values, "inferenceService");
    }

    @DataBoundSetter
    public void setInferenceService(String inferenceService) {
        PARAMETERS.set(values, "inferenceService", inferenceService);
    }

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
            PackageParameters checked = PARAMETERS.build(values, PackageParameters.builder());
            // A workspace directory needs no model registry; models:/ and runs:/ need one, with its credentials.
            ModelUri model = ModelUri.parse(checked.model());
            RegistryAccess access = model.registered() || model.run() || registry != null
                    ? RegistryAccess.forStep(registry, run.run(), PackageResult.STEP) : new RegistryAccess(null, MlflowCredentials.NONE);
            ImageRegistryCredentials image = ImageRegistryCredentials.forRun(credentialsId, run.run());
            SecretMasker masker = access.credentials().masker().and(image.masker());
            Call call = new Call(run.listener(), masker, getReport(), access, image.auth(), checked);
            return ResultMaps.of(run.execute(call, PackageAction::new, Status.FAIL, isUnstableOnFailure()));
        });
    }

    static final class Call extends RegistryEngineCall<PackageParameters, PackageResult> {
        private static final long serialVersionUID = 1L;
        private final RegistryAuth imageAuth;

        Call(TaskListener listener, SecretMasker masker, String report, RegistryAccess access, RegistryAuth imageAuth,
                PackageParameters parameters) {
            super(listener, masker, report, access, parameters);
            this.imageAuth = imageAuth;
        }

        @Override
        protected String stepName() {
            return PackageResult.STEP;
        }

        @Override
        protected ReportKind<PackageResult> kind() {
            return ReportKind.PACKAGE;
        }

        /** Runs on the agent that holds the workspace: the model directory, the wheel cache and pip are there. */
        @Override
        protected PackageResult run(Path workspace, Consumer<String> progress) {
            return PackageStep.run(parameters, registry, credentials, imageAuth, workspace, progress);
        }
    }

    @Extension
    @Symbol("packageModel")
    public static final class DescriptorImpl extends MlopsStepDescriptor {
        @Override
        public String getFunctionName() {
            return "packageModel";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.PackageModelStep_DisplayName();
        }

        @Override
        protected String[] summaryArguments() {
            return new String[] {"model", "image"};
        }

        public FormValidation doCheckModel(@QueryParameter String value) {
            return FormChecks.required(PackageParameters.CATALOGUE, "model", value, "a model URI (models:/NAME@ALIAS) or directory");
        }

        /** Username/password credentials the job's builds can read; only people who configure the job see the list. */
        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return CredentialItems.forJob(item, StandardUsernamePasswordCredentials.class, credentialsId);
        }
    }

}
