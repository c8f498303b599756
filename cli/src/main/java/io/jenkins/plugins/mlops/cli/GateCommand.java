package io.jenkins.plugins.mlops.cli;

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
import io.jenkins.plugins.mlops.registry.ModelNotFoundException;
import io.jenkins.plugins.mlops.registry.ModelRegistry;
import io.jenkins.plugins.mlops.registry.ModelVersion;
import io.jenkins.plugins.mlops.report.GatePanels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mlops gate}: the candidate against the production model on the same hold-out rows. */
@Command(
        name = "gate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Compare a candidate model with the baseline (production) model on the same hold-out set and decide "
                    + "whether the candidate may ship.",
            "Metrics come with paired bootstrap confidence intervals of the difference; the policy's rules decide. "
                    + "Anything the gate cannot evaluate (a missing column, NaN values, an undefined metric) fails it."
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  the candidate passes the policy",
            "  1  the candidate fails, or the gate cannot evaluate it (fails closed)",
            "  2  bad input: unreadable files, unmatched ids, a broken policy, bad options",
            "",
            "Example:",
            "  mlops gate --baseline prod.parquet --candidate cand.parquet --id id \\",
            "    --label churned --prediction pred --score proba \\",
            "    --metric roc_auc --metric log_loss --report reports/gate",
            "  mlops gate --baseline prod.csv --candidate cand.csv --label churned --score proba --metric roc_auc"
        })
public final class GateCommand extends StepCommand<GateResult> {

    @Option(names = "--baseline", paramLabel = "FILE",
            description = "The baseline model's predictions on the hold-out set (CSV, Parquet or JSON lines).")
    Path baseline;

    @Option(names = "--baseline-metrics", paramLabel = "FILE.json",
            description = "Instead of --baseline: the baseline's recorded metrics, a JSON object of metric to value. "
                    + "Point comparison only, no intervals (weaker).")
    Path baselineMetrics;

    @Option(names = "--baseline-model", paramLabel = "NAME@ALIAS",
            description = "Instead of --baseline: the metrics recorded on the registry version that holds the alias, "
                    + "e.g. churn@champion (its run's metrics and its gate lineage). Point comparison only (weaker). "
                    + "The registry is --registry.")
    String baselineModel;

    @Mixin
    RegistryOptions registry;

    @Option(names = "--candidate", paramLabel = "FILE", description = "The candidate's predictions on the same hold-out set (required).")
    Path candidate;

    @Option(names = "--label", paramLabel = "COL", description = "The true value or class, in the candidate file (required).")
    String label;

    @Option(names = "--prediction", paramLabel = "COL",
            description = "The predicted value or class, in both files. Required, except for classification with --score.")
    String prediction;

    @Option(names = "--score", paramLabel = "COL",
            description = "Classification: the probability of the positive class, in [0, 1], in both files; needed by "
                    + "roc_auc, pr_auc, log_loss and brier. Enough on its own: without --prediction the class comes "
                    + "from the score at --threshold.")
    String score;

    @Option(names = "--threshold", paramLabel = "P", defaultValue = "0.5", showDefaultValue = Visibility.ALWAYS,
            description = "Without --prediction: a score at or above it predicts the positive class (as scikit-learn's "
                    + "FixedThresholdClassifier), for accuracy, precision, recall and f1.")
    double threshold;

    @Option(names = "--id", paramLabel = "COL",
            description = "Join the files by this column (any order). Without it rows pair by position.")
    String id;

    @Option(names = "--task", paramLabel = "TASK",
            description = "regression or classification; inferred from the metrics, --score or the label column's type when not given.")
    Task task;

    @Option(names = "--metric", paramLabel = "NAME", split = ",",
            description = "A metric to compute (repeatable); the first is the primary one. rmse, mae, r2, mape, accuracy, "
                    + "precision, recall, f1, roc_auc, pr_auc, log_loss, brier.")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--policy", paramLabel = "POLICY.yaml",
            description = "Rules the candidate must meet. Default: the primary metric must not be worse than the baseline's.")
    Path policy;

    @Option(names = "--confidence", paramLabel = "LEVEL", defaultValue = "0.95", showDefaultValue = Visibility.ALWAYS,
            description = "Confidence level of the bootstrap intervals.")
    double confidence;

    @Option(names = "--resamples", paramLabel = "N", defaultValue = "1000", showDefaultValue = Visibility.ALWAYS,
            description = "Bootstrap resamples.")
    int resamples;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42", showDefaultValue = Visibility.ALWAYS,
            description = "Seed of the resampling; the same seed gives the same intervals.")
    long seed;

    @Option(names = "--slice", paramLabel = "COL",
            description = "Also compute the metrics per value of this column of the candidate file (repeatable).")
    List<String> slices = new ArrayList<>();

    @Option(names = "--positive-class", paramLabel = "CLASS", defaultValue = "1", showDefaultValue = Visibility.ALWAYS,
            description = "The class precision, recall, f1 and the score metrics treat as positive.")
    String positiveClass;

    @Override
    protected GateResult runStep() {
        registry.timeout();
        require(candidate, "--candidate");
        require(label, "--label");
        if (prediction == null && score == null) {
            throw new BadInputException("--prediction is required (or, for classification, --score: the class then"
                    + " comes from the score at --threshold)");
        }
        GateConfig config = GateConfig.builder(baselineSource(), candidate.toString(), label, prediction).threshold(threshold)
                .score(score).id(id).task(task)
                .metrics(metrics.stream().map(name -> Metric.fromId(name.trim(), "--metric")).toList())
                .policy(policy == null ? GatePolicy.defaults() : PolicyParser.parse(policy))
                .confidence(confidence).resamples(resamples).seed(seed).slices(slices).positiveClass(positiveClass)
                .build();
        return ModelGate.run(config, this::progress);
    }

    private BaselineSource baselineSource() {
        long given = Stream.of(baseline, baselineMetrics, baselineModel).filter(Objects::nonNull).count();
        if (given != 1) {
            throw new BadInputException("give exactly one of --baseline (predictions), --baseline-metrics (recorded "
                    + "metrics) or --baseline-model (metrics recorded in the registry)");
        }
        if (baseline != null) {
            return new BaselinePredictions(baseline.toString());
        }
        return baselineMetrics != null ? RecordedBaseline.read(baselineMetrics) : registryBaseline();
    }

    /** The champion's recorded metrics: the gate stays Jenkins- and registry-free, the command composes both. */
    private RecordedBaseline registryBaseline() {
        String spec = baselineModel.startsWith("models:/") ? baselineModel.substring("models:/".length()) : baselineModel;
        int at = spec.lastIndexOf('@');
        if (at <= 0 || at == spec.length() - 1) {
            throw new BadInputException("--baseline-model: expected NAME@ALIAS (e.g. churn@champion), got '" + baselineModel + "'");
        }
        String name = spec.substring(0, at);
        String alias = spec.substring(at + 1);
        ModelRegistry models = registry.open(this::progress);
        ModelVersion version;
        try {
            version = models.getByAlias(name, alias);
        } catch (ModelNotFoundException e) {
            throw new BadInputException("--baseline-model: " + e.getMessage(), e);
        }
        progress("baseline: " + name + " version " + version.version() + " (@" + alias + ") in " + models.location());
        return RecordedBaseline.fromNamed(models.recordedMetrics(version),
                "models:/" + name + "@" + alias + " (version " + version.version() + ", " + models.location() + ")");
    }

    private static void require(Object value, String option) {
        if (value == null) {
            throw new BadInputException(option + " is required");
        }
    }

    @Override
    protected String reportName() {
        return "gate";
    }

    @Override
    protected String reportTitle() {
        return "Model gate";
    }

    @Override
    protected List<String> reportPanels(GateResult result) {
        return GatePanels.panels(result);
    }
}
