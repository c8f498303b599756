package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlops.data.DataValidator;
import io.jenkins.plugins.mlops.data.ValidateDataParameters;
import io.jenkins.plugins.mlops.data.ValidationResult;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.jenkins.SecretMasker;
import io.jenkins.plugins.mlops.jenkins.actions.ValidationAction;
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
 * {@code validateData}: profiles a dataset and checks it against a schema and for drift against a
 * reference, as {@code mlops validate-data} does. Returns the validation result as a map.
 * <pre>
 * def v = validateData data: 'data/current.parquet', reference: 'data/train.parquet', failOn: 'warn'
 * echo "rows: ${v.row_count}"
 * </pre>
 * The parameters are core's ({@link ValidateDataParameters#CATALOGUE}).
 */
public class ValidateDataStep extends MlopsStep {
    private static final StepParameters PARAMETERS = new StepParameters(ValidateDataParameters.CATALOGUE, Map.of());

    private final TreeMap<String, Object> values = new TreeMap<>();

    @DataBoundConstructor
    public ValidateDataStep(String data) {
        PARAMETERS.set(values, "data", data);
    }

    public String getData() {
        return PARAMETERS.text(values, "data");
    }

    @CheckForNull
    public String getReference() {
        return PARAMETERS.text(values, "reference");
    }

    @DataBoundSetter
    public void setReference(String reference) {
        PARAMETERS.set(values, "reference", reference);
    }

    @CheckForNull
    public String getReferenceProfile() {
        return PARAMETERS.text(values, "referenceProfile");
    }

    @DataBoundSetter
    public void setReferenceProfile(String referenceProfile) {
        PARAMETERS.set(values, "referenceProfile", referenceProfile);
    }

    @CheckForNull
    public String getSchema() {
        return PARAMETERS.text(values, "schema");
    }

    @DataBoundSetter
    public void setSchema(String schema) {
        PARAMETERS.set(values, "schema", schema);
    }

    /** {@code fail} (default) or {@code warn}: the status from which the step fails the build. */
    @CheckForNull
    public String getFailOn() {
        return PARAMETERS.text(values, "failOn");
    }

    @DataBoundSetter
    public void setFailOn(String failOn) {
        PARAMETERS.set(values, "failOn", failOn);
    }

    @CheckForNull
    public String getMemoryLimit() {
        return PARAMETERS.text(values, "memoryLimit");
    }

    @DataBoundSetter
    public void setMemoryLimit(String memoryLimit) {
        PARAMETERS.set(values, "memoryLimit", memoryLimit);
    }

    public int getThreads() {
        return (int) PARAMETERS.whole(values, "threads");
    }

    @DataBoundSetter
    public void setThreads(int threads) {
        PARAMETERS.set(values, "threads", threads);
    }

    /** {@code duckdb} (default) or {@code spark}: what computes the profile. */
    @CheckForNull
    public String getEngine() {
        return PARAMETERS.text(values, "engine");
    }

    @DataBoundSetter
    public void setEngine(String engine) {
        PARAMETERS.set(values, "engine", engine);
    }

    /** The Spark Connect server ({@code sc://HOST:PORT}) for engine {@code spark}. */
    @CheckForNull
    public String getSparkRemote() {
        return PARAMETERS.text(values, "sparkRemote");
    }

    @DataBoundSetter
    public void setSparkRemote(String sparkRemote) {
        PARAMETERS.set(values, "sparkRemote", sparkRemote);
    }

    @CheckForNull
    public String getDelimiter() {
        return PARAMETERS.text(values, "delimiter");
    }

    @DataBoundSetter
    public void setDelimiter(String delimiter) {
        PARAMETERS.set(values, "delimiter", delimiter);
    }

    /** The parameters, checked by core on the controller; the files are read on the agent. */
    ValidateDataParameters parameters() throws AbortException {
        return PARAMETERS.build(values, ValidateDataParameters.builder());
    }

    Call call(TaskListener listener) throws AbortException {
        return new Call(listener, getReport(), parameters());
    }

    @Override
    public StepExecution start(StepContext context) {
        return StepExecutions.synchronousNonBlocking(context, c -> {
            StepRun run = StepRun.of(c);
            Call call = call(run.listener());
            return ResultMaps.of(run.execute(call, ValidationAction::new, call.failAt(), isUnstableOnFailure()));
        });
    }

    static final class Call extends EngineCall<ValidationResult> {
        private static final long serialVersionUID = 1L;
        private final ValidateDataParameters parameters;

        Call(TaskListener listener, String report, ValidateDataParameters parameters) {
            super(listener, SecretMasker.NONE, report);
            this.parameters = parameters;
        }

        /** The status from which the step fails the build. */
        Status failAt() {
            return parameters.failAt();
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
            return new DataValidator(progress).validate(parameters.config(workspace));
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

        public ListBoxModel doFillEngineItems() {
            return EngineItems.items();
        }

        public FormValidation doCheckData(@QueryParameter String value) {
            return FormChecks.required(ValidateDataParameters.CATALOGUE, "data", value,
                    "the dataset: a file or a directory of partitions");
        }
    }
}
