package io.jenkins.plugins.mlops.gate;

import static io.jenkins.plugins.mlops.params.ParameterType.LIST;
import static io.jenkins.plugins.mlops.params.ParameterType.NUMBER;
import static io.jenkins.plugins.mlops.params.ParameterType.PATH;
import static io.jenkins.plugins.mlops.params.ParameterType.TEXT;
import static io.jenkins.plugins.mlops.params.ParameterType.WHOLE;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.params.Parameter;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import io.jenkins.plugins.mlops.params.ParameterValues;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Everything {@code gateModel} ({@code mlops gate}, the {@code gate} stage) takes, read and
 * checked: the one place for their names, defaults and help ({@link #CATALOGUE}). The files may be
 * missing here, where the pipeline scores the models itself; {@link GateModel} needs them.
 */
public record GateParameters(String baseline, String baselineMetrics, String baselineModel, String candidate,
        String label, String prediction, String score, double threshold, String id, Task task, List<Metric> metric,
        String policy, double confidence, int resamples, long seed, List<String> slice, String positiveClass)
        implements Serializable {

    public static final ParameterCatalogue CATALOGUE = new ParameterCatalogue("gateModel", List.of(
            Parameter.of("baseline", PATH, null, "The production model's predictions on the hold-out set."),
            Parameter.of("baselineMetrics", PATH, null, "Instead of the baseline's predictions: its recorded metrics "
                    + "(JSON {\"metric\": value}). Point comparison only (weaker)."),
            Parameter.of("baselineModel", TEXT, null, "Instead of the baseline's predictions: the metrics recorded on the "
                    + "registry version that holds the alias, e.g. churn@champion. Point comparison only (weaker)."),
            Parameter.of("candidate", PATH, null, "The candidate's predictions on the same hold-out set (required)."),
            Parameter.of("label", TEXT, null, "The true value or class, in the candidate file (required)."),
            Parameter.of("prediction", TEXT, null, "The predicted value or class, in both files. Required, except for "
                    + "classification with a score."),
            Parameter.of("score", TEXT, null, "Classification: the probability of the positive class, in [0, 1], in both "
                    + "files; needed by roc_auc, pr_auc, log_loss and brier. Enough on its own: without a prediction the "
                    + "class comes from the score at the threshold."),
            Parameter.of("threshold", NUMBER, "0.5", "Without a prediction: a score at or above it predicts the positive class "
                    + "(as scikit-learn's FixedThresholdClassifier), for accuracy, precision, recall and f1."),
            Parameter.of("id", TEXT, null, "Join the files by this column (any order). Without it rows pair by position."),
            Parameter.choice("task", null, "regression or classification; inferred from the metrics, the score or the label "
                    + "column's type when not given.", "regression", "classification"),
            Parameter.of("metric", LIST, null, "Metrics to compute, comma-separated or several; the first is the primary one. "
                    + "rmse, mae, r2, mape, accuracy, precision, recall, f1, roc_auc, pr_auc, log_loss, brier."),
            Parameter.of("policy", PATH, null, "Rules the candidate must meet (YAML). Default: the primary metric must not be "
                    + "worse than the baseline's."),
            Parameter.of("confidence", NUMBER, "0.95", "Confidence level of the bootstrap intervals."),
            Parameter.of("resamples", WHOLE, "1000", "Bootstrap resamples."),
            Parameter.of("seed", WHOLE, "42", "Seed of the resampling; the same seed gives the same intervals."),
            Parameter.of("slice", LIST, null, "Also compute the metrics per value of these columns of the candidate file."),
            Parameter.of("positiveClass", TEXT, "1", "The class precision, recall, f1 and the score metrics treat as positive.")));

    public static ParameterBuilder<GateParameters> builder() {
        return new ParameterBuilder<>(CATALOGUE, GateParameters::of);
    }

    public GateParameters {
        metric = List.copyOf(metric);
        slice = List.copyOf(slice);
        if (label == null) {
            throw new BadInputException("--label is required");
        }
        if (prediction == null && score == null) {
            throw new BadInputException("--prediction is required (or, for classification, --score: the class then"
                    + " comes from the score at --threshold)");
        }
    }

    private static GateParameters of(ParameterValues v) {
        String task = v.text("task");
        long resamples = v.whole("resamples");
        return new GateParameters(v.path("baseline"), v.path("baselineMetrics"), v.text("baselineModel"), v.path("candidate"),
                v.text("label"), v.text("prediction"), v.text("score"), v.number("threshold"), v.text("id"),
                task == null ? null : Task.valueOf(task.toUpperCase(Locale.ROOT)), metrics(v.list("metric")), v.path("policy"),
                v.number("confidence"), (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, resamples)),
                v.whole("seed"), items(v.list("slice")), v.text("positiveClass"));
    }

    /** Metric names, each item possibly a comma-separated list of them. */
    private static List<Metric> metrics(List<String> names) {
        return items(names).stream().map(name -> Metric.fromId(name, "--metric")).toList();
    }

    private static List<String> items(List<String> values) {
        return values.stream().flatMap(value -> Arrays.stream(value.split(","))).map(String::strip)
                .filter(item -> !item.isEmpty()).toList();
    }
}
