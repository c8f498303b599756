package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.jenkins.SecretMasker;
import io.jenkins.plugins.mlops.jenkins.actions.RegistrationAction;
import io.jenkins.plugins.mlops.registry.RegisterParameters;
import io.jenkins.plugins.mlops.registry.RegisterResult;
import io.jenkins.plugins.mlops.registry.RegisterStep;
import io.jenkins.plugins.mlops.result.Status;
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
 * {@code registerModel}: registers the model with lineage (commit, data fingerprint, this build,
 * the gate's decision and metrics) and points aliases at it, as {@code mlops register} does. A
 * rebuilt or retried build gets its version back instead of a second one.
 * <pre>
 * def reg = registerModel name: 'churn', model: 'out/model', gateReport: 'reports/gate.json'
 * echo "registered version ${reg.version}"
 * </pre>
 * The parameters are core's ({@link RegisterParameters#CATALOGUE}) but for {@code registry}, which
 * comes with its credentials from Jenkins.
 */
public class RegisterModelStep extends MlopsStep {
    private static final StepParameters PARAMETERS = new StepParameters(RegisterParameters.CATALOGUE, Map.of());

    private final TreeMap<String, Object> values = new TreeMap<>();
    private String registry;

    @DataBoundConstructor
    public RegisterModelStep(String name, String model) {
        PARAMETERS.set(values, "name", name);
        PARAMETERS.set(values, "model", model);
    }

    public String getName() {
        return PARAMETERS.text(values, "name");
    }

    public String getModel() {
        return PARAMETERS.text(values, "model");
    }

    /** The registry; default: the global configuration's. */
    @CheckForNull
    public String getRegistry() {
        return registry;
    }

    @DataBoundSetter
    public void setRegistry(String registry) {
        this.registry = Util.fixEmptyAndTrim(registry);
    }

    @CheckForNull
    public String getRunId() {
        return PARAMETERS.text(values, "runId");
    }

    @DataBoundSetter
    public void setRunId(String runId) {
        PARAMETERS.set(values, "runId", runId);
    }

    /** Aliases, comma- or newline-separated; empty for none. */
    @CheckForNull
    public String getAlias() {
        return PARAMETERS.text(values, "alias");
    }

    @DataBoundSetter
    public void setAlias(String alias) {
        PARAMETERS.set(values, "alias", alias);
    }

    /** Tags, one {@code KEY=VALUE} per line. */
    @CheckForNull
    public String getTag() {
        return PARAMETERS.text(values, "tag");
    }

    @DataBoundSetter
    public void setTag(String tag) {
        PARAMETERS.set(values, "tag", tag);
    }

    @CheckForNull
    public String getDescription() {
        return PARAMETERS.text(values, "description");
    }

    @DataBoundSetter
    public void setDescription(String description) {
        PARAMETERS.set(values, "description", description);
    }

    @CheckForNull
    public String getGateReport() {
        return PARAMETERS.text(values, "gateReport");
    }

    @DataBoundSetter
    public void setGateReport(String gateReport) {
        PARAMETERS.set(values, "gateReport", gateReport);
    }

    @CheckForNull
    public String getValidationReport() {
        return PARAMETERS.text(values, "validationReport");
    }

    @DataBoundSetter
    public void setValidationReport(String validationReport) {
        PARAMETERS.set(values, "validationReport", validationReport);
    }

    @CheckForNull
    public String getDataProfile() {
        return PARAMETERS.text(values, "dataProfile");
    }

    @DataBoundSetter
    public void setDataProfile(String dataProfile) {
        PARAMETERS.set(values, "dataProfile", dataProfile);
    }

    /** The commit; default: the build's GIT_COMMIT. */
    @CheckForNull
    public String getGitCommit() {
        return PARAMETERS.text(values, "gitCommit");
    }

    @DataBoundSetter
    public void setGitCommit(String gitCommit) {
        PARAMETERS.set(values, "gitCommit", gitCommit);
    }

    @CheckForNull
    public String getExperiment() {
        return PARAMETERS.text(values, "experiment");
    }

    @DataBoundSetter
    public void setExperiment(String experiment) {
        PARAMETERS.set(values, "experiment", experiment);
    }

    @CheckForNull
    public String getStage() {
        return PARAMETERS.text(values, "stage");
    }

    @DataBoundSetter
    public void setStage(String stage) {
        PARAMETERS.set(values, "stage", stage);
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
            // The build's commit and URL are the lineage where the Jenkinsfile names no other.
            Map<String, Object> given = new TreeMap<>(values);
            given.putIfAbsent("gitCommit", run.env().get("GIT_COMMIT"));
            given.put("buildUrl", run.env().get("BUILD_URL"));
            RegisterParameters checked = PARAMETERS.build(given, RegisterParameters.builder());
            RegistryAccess access = RegistryAccess.forStep(registry, run.run(), RegisterResult.STEP);
            Call call = new Call(run.listener(), access.credentials().masker(), getReport(), access, checked);
            return ResultMaps.of(run.execute(call, RegistrationAction::new, Status.FAIL, isUnstableOnFailure()));
        });
    }

    static final class Call extends RegistryEngineCall<RegisterParameters, RegisterResult> {
        private static final long serialVersionUID = 1L;

        Call(TaskListener listener, SecretMasker masker, String report, RegistryAccess access, RegisterParameters parameters) {
            super(listener, masker, report, access, parameters);
        }

        @Override
        protected String stepName() {
            return RegisterResult.STEP;
        }

        @Override
        protected ReportKind<RegisterResult> kind() {
            return ReportKind.REGISTRATION;
        }

        /** A {@code file:} registry is relative to the workspace, as the CLI's is relative to the current directory. */
        @Override
        protected RegisterResult run(Path workspace, Consumer<String> progress) {
            return RegisterStep.run(parameters.config(registry, workspace), credentials, progress);
        }
    }

    @Extension
    @Symbol("registerModel")
    public static final class DescriptorImpl extends MlopsStepDescriptor {
        @Override
        public String getFunctionName() {
            return "registerModel";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.RegisterModelStep_DisplayName();
        }

        @Override
        protected String[] summaryArguments() {
            return new String[] {"name", "alias"};
        }

        public FormValidation doCheckName(@QueryParameter String value) {
            return FormChecks.required(RegisterParameters.CATALOGUE, "name", value, "the registered model's name");
        }

        public FormValidation doCheckModel(@QueryParameter String value) {
            return FormChecks.required(RegisterParameters.CATALOGUE, "model", value, "a model directory or file, or a model URI");
        }
    }
}
