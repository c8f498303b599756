package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlops.data.DataValidator;
import io.jenkins.plugins.mlops.data.EngineSettings;
import io.jenkins.plugins.mlops.data.ValidationConfig;
import io.jenkins.plugins.mlops.data.ValidationResult;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.jenkins.SecretMasker;
import io.jenkins.plugins.mlops.jenkins.actions.ValidationAction;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.StepExecutions;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code validateData}: profiles a dataset and checks it against a schema and for drift against a
 * reference, as {@code mlops validate-data} does. Returns the validation result as a map.
 * <pre>
 * def v = validateData data: 'data/current.parquet', reference: 'data/train.parquet', failOn: 'warn'
 * echo "rows: ${v.row_count}"
 * </pre>
 */
public class ValidateDataStep extends MlopsStep {
    private final String data;
    private String reference;
    private String referenceProfile;
    private String schema;
    private String failOn = "fail";
    private String memoryLimit = EngineSettings.DEFAULT.memoryLimit();
    private int threads;

    @DataBoundConstructor
    public ValidateDataStep(String data) {
        this.data = data;
    }

    public String getData() {
        return data;
    }

    @CheckForNull
    public String getReference() {
        return reference;
    }

    @DataBoundSetter
    public void setReference(String reference) {
        this.reference = Util.fixEmptyAndTrim(reference);
    }

    @CheckForNull
    public String getReferenceProfile() {
        return referenceProfile;
    }

    @DataBoundSetter
    public void setReferenceProfile(String referenceProfile) {
        this.referenceProfile = Util.fixEmptyAndTrim(referenceProfile);
    }

    @CheckForNull
    public String getSchema() {
        return schema;
    }

    @DataBoundSetter
    public void setSchema(String schema) {
        this.schema = Util.fixEmptyAndTrim(schema);
    }

    public String getFailOn() {
        return failOn;
    }

    /** {@code fail} (default) or {@code warn}: the status from which the step fails the build. */
    @DataBoundSetter
    public void setFailOn(String failOn) {
        this.failOn = Util.fixEmptyAndTrim(failOn) == null ? "fail" : failOn.trim().toLowerCase(Locale.ROOT);
    }

    public String getMemoryLimit() {
        return memoryLimit;
    }

    @DataBoundSetter
    public void setMemoryLimit(String memoryLimit) {
        this.memoryLimit = Util.fixEmptyAndTrim(memoryLimit) == null ? EngineSettings.DEFAULT.memoryLimit() : memoryLimit.trim();
    }

    public int getThreads() {
        return threads;
    }

    @DataBoundSetter
    public void setThreads(int threads) {
        this.threads = threads;
    }

    Status failAt() throws hudson.AbortException {
        return switch (failOn) {
            case "fail" -> Status.FAIL;
            case "warn" -> Status.WARN;
            default -> throw new hudson.AbortException("validateData: failOn must be 'fail' or 'warn', not '" + failOn + "'");
        };
    }

    /** The config is built on the agent, so bad input reports through the same path as the CLI's. */
    Call call(TaskListener listener) {
        return new Call(listener, getReport(), data, reference, referenceProfile, schema, memoryLimit, threads);
    }

    @Override
    public StepExecution start(StepContext context) {
        return StepExecutions.synchronousNonBlocking(context, c -> {
            Status failAt = failAt();
            StepRun run = StepRun.of(c);
            return ResultMaps.of(run.execute(call(run.listener()), ValidationAction::new, failAt, isUnstableOnFailure()));
        });
    }

    static final class Call extends EngineCall<ValidationResult> {
        private static final long serialVersionUID = 1L;
        private final String data;
        private final String reference;
        private final String referenceProfile;
        private final String schema;
        private final String memoryLimit;
        private final int threads;

        Call(TaskListener listener, String report, String data, String reference, String referenceProfile, String schema,
                String memoryLimit, int threads) {
            super(listener, SecretMasker.NONE, report);
            this.data = data;
            this.reference = reference;
            this.referenceProfile = referenceProfile;
            this.schema = schema;
            this.memoryLimit = memoryLimit;
            this.threads = threads;
        }

        @Override
        protected String stepName() {
            return ValidationResult.STEP;
        }

        @Override
        protected ReportKind<ValidationResult> kind() {
            return ReportKind.VALIDATION;
        }

        @Override
        protected ValidationResult run(Path workspace, Consumer<String> progress) {
            ValidationConfig config = new ValidationConfig(resolve(workspace, data), resolve(workspace, reference),
                    resolve(workspace, referenceProfile), resolve(workspace, schema), new EngineSettings(memoryLimit, threads));
            return new DataValidator(progress).validate(config);
        }
    }

    @Extension
    @Symbol("validateData")
    public static final class DescriptorImpl extends MlopsStepDescriptor {
        @Override
        public String getFunctionName() {
            return "validateData";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.ValidateDataStep_DisplayName();
        }

        @Override
        protected String[] summaryArguments() {
            return new String[] {"data", "reference", "referenceProfile"};
        }

        public ListBoxModel doFillFailOnItems() {
            return FailOnItems.items();
        }

        public FormValidation doCheckData(@QueryParameter String value) {
            return FormChecks.required(value, "the dataset: a file or a directory of partitions");
        }
    }
}
