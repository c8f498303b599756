package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.mlops.io.Durations;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.jenkins.SecretMasker;
import io.jenkins.plugins.mlops.jenkins.actions.RegistrationAction;
import io.jenkins.plugins.mlops.registry.RegisterConfig;
import io.jenkins.plugins.mlops.registry.RegisterResult;
import io.jenkins.plugins.mlops.registry.RegisterStep;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Path;
import java.util.List;
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
 * {@code registerModel}: registers the model with lineage (commit, data fingerprint, this build,
 * the gate's decision and metrics) and points aliases at it, as {@code mlops register} does. A
 * rebuilt or retried build gets its version back instead of a second one.
 * <pre>
 * def reg = registerModel name: 'churn', model: 'out/model', gateReport: 'reports/gate.json'
 * echo "registered version ${reg.version}"
 * </pre>
 */
public class RegisterModelStep extends MlopsStep {
    /** The CLI's default: how long each registry call may take, retries of transient failures included. */
    static final String DEFAULT_TIMEOUT = "120s";

    private final String name;
    private final String model;
    private String registry;
    private String runId;
    private String alias = "staging";
    private String tag;
    private String description;
    private String gateReport;
    private String validationReport;
    private String dataProfile;
    private String gitCommit;
    private String experiment;
    private String stage;
    private String timeout = DEFAULT_TIMEOUT;

    @DataBoundConstructor
    public RegisterModelStep(String name, String model) {
        this.name = name;
        this.model = model;
    }

    public String getName() {
        return name;
    }

    public String getModel() {
        return model;
    }

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
        return runId;
    }

    @DataBoundSetter
    public void setRunId(String runId) {
        this.runId = Util.fixEmptyAndTrim(runId);
    }

    /** Aliases, comma-separated; empty for none. */
    public String getAlias() {
        return alias;
    }

    @DataBoundSetter
    public void setAlias(String alias) {
        this.alias = alias == null ? "" : alias.trim();
    }

    /** Tags, one {@code KEY=VALUE} per line. */
    @CheckForNull
    public String getTag() {
        return tag;
    }

    @DataBoundSetter
    public void setTag(String tag) {
        this.tag = Util.fixEmptyAndTrim(tag);
    }

    @CheckForNull
    public String getDescription() {
        return description;
    }

    @DataBoundSetter
    public void setDescription(String description) {
        this.description = Util.fixEmptyAndTrim(description);
    }

    @CheckForNull
    public String getGateReport() {
        return gateReport;
    }

    @DataBoundSetter
    public void setGateReport(String gateReport) {
        this.gateReport = Util.fixEmptyAndTrim(gateReport);
    }

    @CheckForNull
    public String getValidationReport() {
        return validationReport;
    }

    @DataBoundSetter
    public void setValidationReport(String validationReport) {
        this.validationReport = Util.fixEmptyAndTrim(validationReport);
    }

    @CheckForNull
    public String getDataProfile() {
        return dataProfile;
    }

    @DataBoundSetter
    public void setDataProfile(String dataProfile) {
        this.dataProfile = Util.fixEmptyAndTrim(dataProfile);
    }

    /** The commit that built the model; default {@code GIT_COMMIT}, else {@code git rev-parse HEAD} in the workspace. */
    @CheckForNull
    public String getGitCommit() {
        return gitCommit;
    }

    @DataBoundSetter
    public void setGitCommit(String gitCommit) {
        this.gitCommit = Util.fixEmptyAndTrim(gitCommit);
    }

    @CheckForNull
    public String getExperiment() {
        return experiment;
    }

    @DataBoundSetter
    public void setExperiment(String experiment) {
        this.experiment = Util.fixEmptyAndTrim(experiment);
    }

    @CheckForNull
    public String getStage() {
        return stage;
    }

    @DataBoundSetter
    public void setStage(String stage) {
        this.stage = Util.fixEmptyAndTrim(stage);
    }

    /** A duration as the CLI takes it: {@code 120} (seconds), {@code 90s}, {@code 2m}. */
    public String getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        this.timeout = Util.fixEmptyAndTrim(timeout) == null ? DEFAULT_TIMEOUT : timeout.trim();
    }

    @Override
    public StepExecution start(StepContext context) {
        return StepExecutions.synchronousNonBlocking(context, c -> {
            StepRun run = StepRun.of(c);
            if (validationReport != null && dataProfile != null) {
                throw new AbortException("registerModel: give validationReport or dataProfile, not both");
            }
            RegistryAccess access = RegistryAccess.forStep(registry, run.run(), RegisterResult.STEP);
            String commit = gitCommit != null ? gitCommit : run.env().get("GIT_COMMIT");
            String buildUrl = run.env().get("BUILD_URL");
            Map<String, String> tags = Lists.pairs(tag, "tag");
            Call call = new Call(run.listener(), access.credentials().masker(), getReport(), access.uri(),
                    access.credentials().credentials(), name, model, runId, Lists.items(alias), tags, description, stage,
                    experiment, gateReport, validationReport != null ? validationReport : dataProfile, commit, buildUrl, timeout);
            return ResultMaps.of(run.execute(call, RegistrationAction::new, Status.FAIL, isUnstableOnFailure()));
        });
    }

    static final class Call extends EngineCall<RegisterResult> {
        private static final long serialVersionUID = 1L;
        private final String registry;
        private final RegistryCredentials credentials;
        private final String name;
        private final String model;
        private final String runId;
        private final List<String> aliases;
        private final Map<String, String> tags;
        private final String description;
        private final String stage;
        private final String experiment;
        private final String gateReport;
        private final String dataReport;
        private final String gitCommit;
        private final String buildUrl;
        private final String timeout;

        @SuppressWarnings("checkstyle:ParameterNumber") // one per CLI option
        Call(TaskListener listener, SecretMasker masker, String report, String registry, RegistryCredentials credentials,
                String name, String model, String runId, List<String> aliases, Map<String, String> tags, String description,
                String stage, String experiment, String gateReport, String dataReport, String gitCommit, String buildUrl,
                String timeout) {
            super(listener, masker, report);
            this.registry = registry;
            this.credentials = credentials;
            this.name = name;
            this.model = model;
            this.runId = runId;
            this.aliases = aliases;
            this.tags = tags;
            this.description = description;
            this.stage = stage;
            this.experiment = experiment;
            this.gateReport = gateReport;
            this.dataReport = dataReport;
            this.gitCommit = gitCommit;
            this.buildUrl = buildUrl;
            this.timeout = timeout;
        }

        @Override
        protected String stepName() {
            return RegisterResult.STEP;
        }

        @Override
        protected ReportKind<RegisterResult> kind() {
            return ReportKind.REGISTRATION;
        }

        @Override
        protected RegisterResult run(Path workspace, Consumer<String> progress) {
            // A file: registry relative to the workspace, as the CLI's is relative to the current directory.
            String uri = registry.startsWith("file:") && !Path.of(registry.substring(5)).isAbsolute()
                    ? "file:" + workspace.resolve(registry.substring(5)) : registry;
            RegisterConfig config = new RegisterConfig(uri, name, model, runId, aliases, tags, description, stage, experiment,
                    resolve(workspace, gateReport), resolve(workspace, dataReport), gitCommit, buildUrl, workspace.toString(),
                    Durations.parse(timeout, "timeout"));
            return RegisterStep.run(config, credentials, progress);
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
            return FormChecks.required(value, "the registered model's name");
        }

        public FormValidation doCheckModel(@QueryParameter String value) {
            return FormChecks.required(value, "a model directory or file, or a model URI");
        }
    }
}
