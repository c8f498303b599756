package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlops.gate.BaselinePredictions;
import io.jenkins.plugins.mlops.gate.BaselineSource;
import io.jenkins.plugins.mlops.gate.GateConfig;
import io.jenkins.plugins.mlops.gate.GatePolicy;
import io.jenkins.plugins.mlops.gate.GateResult;
import io.jenkins.plugins.mlops.gate.Metric;
import io.jenkins.plugins.mlops.gate.ModelGate;
import io.jenkins.plugins.mlops.gate.PolicyParser;
import io.jenkins.plugins.mlops.gate.RecordedBaseline;
import io.jenkins.plugins.mlops.gate.Task;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.jenkins.SecretMasker;
import io.jenkins.plugins.mlops.jenkins.actions.GateAction;
import io.jenkins.plugins.mlops.registry.ModelNotFoundException;
import io.jenkins.plugins.mlops.registry.ModelRegistries;
import io.jenkins.plugins.mlops.registry.ModelRegistry;
import io.jenkins.plugins.mlops.registry.ModelVersion;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;
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
 */
public class GateModelStep extends MlopsStep {
    private final String candidate;
    private final String label;
    private String prediction;
    private String baseline;
    private String baselineMetrics;
    private String baselineModel;
    private String registry;
    private String score;
    private String id;
    private String task;
    private String metric;
    private String policy;
    private double confidence = GateConfig.DEFAULT_CONFIDENCE;
    private int resamples = GateConfig.DEFAULT_RESAMPLES;
    private long seed = GateConfig.DEFAULT_SEED;
    private String slice;
    private String positiveClass = "1";

    /** Required are the files and the label; ranking metrics need only a {@code score}, as {@code mlops gate} does. */
    @DataBoundConstructor
    public GateModelStep(String candidate, String label) {
        this.candidate = candidate;
        this.label = label;
    }

    public String getCandidate() {
        return candidate;
    }

    public String getLabel() {
        return label;
    }

    @CheckForNull
    public String getPrediction() {
        return prediction;
    }

    @DataBoundSetter
    public void setPrediction(String prediction) {
        this.prediction = Util.fixEmptyAndTrim(prediction);
    }

    @CheckForNull
    public String getBaseline() {
        return baseline;
    }

    @DataBoundSetter
    public void setBaseline(String baseline) {
        this.baseline = Util.fixEmptyAndTrim(baseline);
    }

    @CheckForNull
    public String getBaselineMetrics() {
        return baselineMetrics;
    }

    @DataBoundSetter
    public void setBaselineMetrics(String baselineMetrics) {
        this.baselineMetrics = Util.fixEmptyAndTrim(baselineMetrics);
    }

    @CheckForNull
    public String getBaselineModel() {
        return baselineModel;
    }

    @DataBoundSetter
    public void setBaselineModel(String baselineModel) {
        this.baselineModel = Util.fixEmptyAndTrim(baselineModel);
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
    public String getScore() {
        return score;
    }

    @DataBoundSetter
    public void setScore(String score) {
        this.score = Util.fixEmptyAndTrim(score);
    }

    @CheckForNull
    public String getId() {
        return id;
    }

    @DataBoundSetter
    public void setId(String id) {
        this.id = Util.fixEmptyAndTrim(id);
    }

    @CheckForNull
    public String getTask() {
        return task;
    }

    @DataBoundSetter
    public void setTask(String task) {
        this.task = Util.fixEmptyAndTrim(task);
    }

    /** Metrics, comma-separated; the first is the primary one. */
    @CheckForNull
    public String getMetric() {
        return metric;
    }

    @DataBoundSetter
    public void setMetric(String metric) {
        this.metric = Util.fixEmptyAndTrim(metric);
    }

    @CheckForNull
    public String getPolicy() {
        return policy;
    }

    @DataBoundSetter
    public void setPolicy(String policy) {
        this.policy = Util.fixEmptyAndTrim(policy);
    }

    public double getConfidence() {
        return confidence;
    }

    @DataBoundSetter
    public void setConfidence(double confidence) {
        this.confidence = confidence;
    }

    public int getResamples() {
        return resamples;
    }

    @DataBoundSetter
    public void setResamples(int resamples) {
        this.resamples = resamples;
    }

    public long getSeed() {
        return seed;
    }

    @DataBoundSetter
    public void setSeed(long seed) {
        this.seed = seed;
    }

    /** Slice columns, comma-separated. */
    @CheckForNull
    public String getSlice() {
        return slice;
    }

    @DataBoundSetter
    public void setSlice(String slice) {
        this.slice = Util.fixEmptyAndTrim(slice);
    }

    public String getPositiveClass() {
        return positiveClass;
    }

    @DataBoundSetter
    public void setPositiveClass(String positiveClass) {
        this.positiveClass = Util.fixEmptyAndTrim(positiveClass) == null ? "1" : positiveClass.trim();
    }

    /** The baseline is one of three; checked on the controller, before anything runs. */
    Call call(StepRun run) throws AbortException {
        long given = Stream.of(baseline, baselineMetrics, baselineModel).filter(Objects::nonNull).count();
        if (given != 1) {
            throw new AbortException("gateModel: give exactly one of baseline (predictions), baselineMetrics (recorded"
                    + " metrics) or baselineModel (metrics recorded in the registry, NAME@ALIAS)");
        }
        RegistryAccess access = baselineModel == null ? null : RegistryAccess.forStep(registry, run.run(), GateResult.STEP);
        return new Call(run.listener(), getReport(), this, access == null ? null : access.uri(),
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

        private final String candidate;
        private final String label;
        private final String prediction;
        private final String baseline;
        private final String baselineMetrics;
        private final String baselineModel;
        private final String registry;
        private final RegistryCredentials credentials;
        private final String score;
        private final String id;
        private final String task;
        private final List<String> metrics;
        private final String policy;
        private final double confidence;
        private final int resamples;
        private final long seed;
        private final List<String> slices;
        private final String positiveClass;

        Call(TaskListener listener, String report, GateModelStep step, String registry, RegistryCredentials credentials,
                SecretMasker masker) {
            super(listener, masker, report);
            this.candidate = step.candidate;
            this.label = step.label;
            this.prediction = step.prediction;
            this.baseline = step.baseline;
            this.baselineMetrics = step.baselineMetrics;
            this.baselineModel = step.baselineModel;
            this.registry = registry;
            this.credentials = credentials;
            this.score = step.score;
            this.id = step.id;
            this.task = step.task;
            this.metrics = Lists.items(step.metric);
            this.policy = step.policy;
            this.confidence = step.confidence;
            this.resamples = step.resamples;
            this.seed = step.seed;
            this.slices = Lists.items(step.slice);
            this.positiveClass = step.positiveClass;
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
            GateConfig config = GateConfig.builder(baselineSource(workspace, progress), resolve(workspace, candidate), label, prediction)
                    .score(score).id(id).task(task(task))
                    .metrics(metrics.stream().map(name -> Metric.fromId(name, "metric")).toList())
                    .policy(policy == null ? GatePolicy.defaults() : PolicyParser.parse(workspace.resolve(policy)))
                    .confidence(confidence).resamples(resamples).seed(seed).slices(slices).positiveClass(positiveClass)
                    .build();
            return ModelGate.run(config, progress);
        }

        private BaselineSource baselineSource(Path workspace, Consumer<String> progress) {
            if (baseline != null) {
                return new BaselinePredictions(resolve(workspace, baseline));
            }
            if (baselineMetrics != null) {
                return RecordedBaseline.read(workspace.resolve(baselineMetrics));
            }
            return registryBaseline(progress);
        }

        /** The metrics recorded on the version that holds the alias, as {@code mlops gate --baseline-model} reads them. */
        private RecordedBaseline registryBaseline(Consumer<String> progress) {
            String spec = baselineModel.startsWith("models:/") ? baselineModel.substring("models:/".length()) : baselineModel;
            int at = spec.lastIndexOf('@');
            if (at <= 0 || at == spec.length() - 1) {
                throw new BadInputException("baselineModel: expected NAME@ALIAS (e.g. churn@champion), got '" + baselineModel + "'");
            }
            String name = spec.substring(0, at);
            String alias = spec.substring(at + 1);
            ModelRegistry models = ModelRegistries.open(registry, credentials, REGISTRY_TIMEOUT, progress);
            ModelVersion version;
            try {
                version = models.getByAlias(name, alias);
            } catch (ModelNotFoundException e) {
                throw new BadInputException("baselineModel: " + e.getMessage(), e);
            }
            progress.accept("baseline: " + name + " version " + version.version() + " (@" + alias + ") in " + models.location());
            return RecordedBaseline.fromNamed(models.recordedMetrics(version),
                    "models:/" + name + "@" + alias + " (version " + version.version() + ", " + models.location() + ")");
        }

        private static Task task(String value) {
            if (value == null) {
                return null;
            }
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "regression" -> Task.REGRESSION;
                case "classification" -> Task.CLASSIFICATION;
                default -> throw new BadInputException("task: '" + value + "' is not regression or classification");
            };
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
            return FormChecks.required(value, "the candidate's predictions on the hold-out set");
        }

        public FormValidation doCheckLabel(@QueryParameter String value) {
            return FormChecks.required(value, "the column with the true value");
        }

        public FormValidation doCheckConfidence(@QueryParameter double value) {
            return value > 0 && value < 1 ? FormValidation.ok() : FormValidation.error("Between 0 and 1, e.g. 0.95.");
        }
    }
}
