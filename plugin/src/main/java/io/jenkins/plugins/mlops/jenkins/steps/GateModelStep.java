package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlops.gate.GateModel;
import io.jenkins.plugins.mlops.gate.GateParameters;
import io.jenkins.plugins.mlops.gate.GateResult;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.jenkins.SecretMasker;
import io.jenkins.plugins.mlops.jenkins.actions.GateAction;
import io.jenkins.plugins.mlops.pipeline.RegistryBaselines;
import io.jenkins.plugins.mlops.registry.ModelRegistries;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Path;
import java.time.Duration;
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
 * {@code gateModel}: the candidate against the production model on the same hold-out rows, as
 * {@code mlops gate} decides. Returns the gate result; {@code decision} is PASS or FAIL.
 * <pre>
 * def gate = gateModel baseline: 'preds/prod.parquet', candidate: 'preds/cand.parquet',
 *                      label: 'churned', prediction: 'pred', score: 'proba', id: 'id', metric: 'roc_auc,log_loss'
 * echo "gate: ${gate.decision}"
 * </pre>
 * The parameters are core's ({@link GateParameters#CATALOGUE}) but for {@code registry}, where
 * {@code baselineModel} is looked up, which comes with its credentials from Jenkins.
 */
public class GateModelStep extends MlopsStep {
    private static final StepParameters PARAMETERS = new StepParameters(GateParameters.CATALOGUE, Map.of());

    private final TreeMap<String, Object> values = new TreeMap<>();
    private String registry;

    /** Required are the files and the label; ranking metrics need only a {@code score}, as {@code mlops gate} does. */
    @DataBoundConstructor
    public GateModelStep(String candidate, String label) {
        PARAMETERS.set(values, "candidate", candidate);
        PARAMETERS.set(values, "label", label);
    }

    public String getCandidate() {
        return PARAMETERS.text(values, "candidate");
    }

    public String getLabel() {
        return PARAMETERS.text(values, "label");
    }

    @CheckForNull
    public String getPrediction() {
        return PARAMETERS.text(values, "prediction");
    }

    @DataBoundSetter
    public void setPrediction(String prediction) {
        PARAMETERS.set(values, "prediction", prediction);
    }

    @CheckForNull
    public String getBaseline() {
        return PARAMETERS.text(values, "baseline");
    }

    @DataBoundSetter
    public void setBaseline(String baseline) {
        PARAMETERS.set(values, "baseline", baseline);
    }

    @CheckForNull
    public String getBaselineMetrics() {
        return PARAMETERS.text(values, "baselineMetrics");
    }

    @DataBoundSetter
    public void setBaselineMetrics(String baselineMetrics) {
        PARAMETERS.set(values, "baselineMetrics", baselineMetrics);
    }

    @CheckForNull
    public String getBaselineModel() {
        return PARAMETERS.text(values, "baselineModel");
    }

    @DataBoundSetter
    public void setBaselineModel(String baselineModel) {
        PARAMETERS.set(values, "baselineModel", baselineModel);
    }

    @CheckForNull
    public String getScore() {
        return PARAMETERS.text(values, "score");
    }

    @DataBoundSetter
    public void setScore(String score) {
        PARAMETERS.set(values, "score", score);
    }

    public double getThreshold() {
        return PARAMETERS.number(values, "threshold");
    }

    @DataBoundSetter
    public void setThreshold(double threshold) {
        PARAMETERS.set(values, "threshold", threshold);
    }

    @CheckForNull
    public String getId() {
        return PARAMETERS.text(values, "id");
    }

    @DataBoundSetter
    public void setId(String id) {
        PARAMETERS.set(values, "id", id);
    }

    @CheckForNull
    public String getTask() {
        return PARAMETERS.text(values, "task");
    }

    @DataBoundSetter
    public void setTask(String task) {
        PARAMETERS.set(values, "task", task);
    }

    /** Metrics, comma-separated; the first is the primary one. */
    @CheckForNull
    public String getMetric() {
        return PARAMETERS.text(values, "metric");
    }

    @DataBoundSetter
    public void setMetric(String metric) {
        PARAMETERS.set(values, "metric", metric);
    }

    @CheckForNull
    public String getPolicy() {
        return PARAMETERS.text(values, "policy");
    }

    @DataBoundSetter
    public void setPolicy(String policy) {
        PARAMETERS.set(values, "policy", policy);
    }

    public double getConfidence() {
        return PARAMETERS.number(values, "confidence");
    }

    @DataBoundSetter
    public void setConfidence(double confidence) {
        PARAMETERS.set(values, "confidence", confidence);
    }

    public int getResamples() {
        return (int) PARAMETERS.whole(values, "resamples");
    }

    @DataBoundSetter
    public void setResamples(int resamples) {
        PARAMETERS.set(values, "resamples", resamples);
    }

    public long getSeed() {
        return PARAMETERS.whole(values, "seed");
    }

    @DataBoundSetter
    public void setSeed(long seed) {
        PARAMETERS.set(values, "seed", seed);
    }

    /** Slice columns, comma-separated. */
    @CheckForNull
    public String getSlice() {
        return PARAMETERS.text(values, "slice");
    }

    @DataBoundSetter
    public void setSlice(String slice) {
        PARAMETERS.set(values, "slice", slice);
    }

    @CheckForNull
    public String getPositiveClass() {
        return PARAMETERS.text(values, "positiveClass");
    }

    @DataBoundSetter
    public void setPositiveClass(String positiveClass) {
        PARAMETERS.set(values, "positiveClass", positiveClass);
    }

    /** The registry {@code baselineModel} is looked up in; default: the global configuration's. */
    @CheckForNull
    public String getRegistry() {
        return registry;
    }

    @DataBoundSetter
    public void setRegistry(String registry) {
        this.registry = Util.fixEmptyAndTrim(registry);
    }

    /** The parameters, checked by core on the controller before anything runs. */
    Call call(StepRun run) throws AbortException {
        GateParameters checked = PARAMETERS.build(values, GateParameters.builder());
        RegistryAccess access = checked.baselineModel() == null ? null : RegistryAccess.forStep(registry, run.run(), GateResult.STEP);
        return new Call(run.listener(), getReport(), checked, access == null ? null : access.uri(),
                access == null ? RegistryCredentials.NONE : access.credentials().credentials(),
                access == null ? SecretMasker.NONE : access.credentials().masker());
    }

    @Override
    public StepExecution start(StepContext context) {
        return StepExecutions.synchronousNonBlocking(context, c -> {
            StepRun run = StepRun.of(c);
            return ResultMaps.of(run.execute(call(run), GateAction::new, Status.FAIL, isUnstableOnFailure()));
        });
    }

    static final class Call extends EngineCall<GateResult> {
        private static final long serialVersionUID = 1L;
        /** How long a registry call retries for the baseline's metrics: the CLI's default. */
        static final Duration REGISTRY_TIMEOUT = Duration.ofSeconds(120);

        private final GateParameters parameters;
        private final String registry;
        private final RegistryCredentials credentials;

        Call(TaskListener listener, String report, GateParameters parameters, String registry, RegistryCredentials credentials,
                SecretMasker masker) {
            super(listener, masker, report);
            this.parameters = parameters;
            this.registry = registry;
            this.credentials = credentials;
        }

        @Override
        protected String stepName() {
            return GateResult.STEP;
        }

        @Override
        protected ReportKind<GateResult> kind() {
            return ReportKind.GATE;
        }

        @Override
        protected GateResult run(Path workspace, Consumer<String> progress) {
            return new GateModel(RegistryBaselines.in(() -> ModelRegistries.open(registry, credentials, REGISTRY_TIMEOUT, progress),
                    progress), progress).run(parameters, workspace);
        }
    }

    @Extension
    @Symbol("gateModel")
    public static final class DescriptorImpl extends MlopsStepDescriptor {
        @Override
        public String getFunctionName() {
            return "gateModel";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.GateModelStep_DisplayName();
        }

        @Override
        protected String[] summaryArguments() {
            return new String[] {"candidate", "metric"};
        }

        public ListBoxModel doFillTaskItems() {
            ListBoxModel items = new ListBoxModel();
            items.add("(infer from the metrics, the score column or the label)", "");
            items.add("regression", "regression");
            items.add("classification", "classification");
            return items;
        }

        public FormValidation doCheckCandidate(@QueryParameter String value) {
            return FormChecks.required(GateParameters.CATALOGUE, "candidate", value, "the candidate's predictions on the hold-out set");
        }

        public FormValidation doCheckLabel(@QueryParameter String value) {
            return FormChecks.required(GateParameters.CATALOGUE, "label", value, "the column with the true value");
        }

        /** The catalogue reads the number; the range is the gate's, checked when it runs (GateConfig). */
        public FormValidation doCheckConfidence(@QueryParameter String value) {
            FormValidation number = FormChecks.value(GateParameters.CATALOGUE, "confidence", value);
            if (number.kind != FormValidation.Kind.OK || value == null || value.isBlank()) {
                return number;
            }
            double confidence = Double.parseDouble(value.strip());
            return confidence > 0 && confidence < 1 ? FormValidation.ok() : FormValidation.error("Between 0 and 1, e.g. 0.95.");
        }
    }
}
