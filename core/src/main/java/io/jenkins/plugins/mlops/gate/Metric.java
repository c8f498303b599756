package io.jenkins.plugins.mlops.gate;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The metrics the gate computes, named as on the command line and in reports. Each one is
 * defined as scikit-learn 1.9 defines it (docs/gate.md names the functions) and is tested
 * against it; where scikit-learn warns and substitutes a value for an undefined metric
 * (e.g. precision with no predicted positive), the gate reports the metric as undefined instead,
 * because a gate that cannot measure must not pass.
 */
public enum Metric {
    RMSE("rmse", Task.REGRESSION, false, false),
    MAE("mae", Task.REGRESSION, false, false),
    R2("r2", Task.REGRESSION, true, false),
    MAPE("mape", Task.REGRESSION, false, false),
    ACCURACY("accuracy", Task.CLASSIFICATION, true, false),
    PRECISION("precision", Task.CLASSIFICATION, true, false),
    RECALL("recall", Task.CLASSIFICATION, true, false),
    F1("f1", Task.CLASSIFICATION, true, false),
    ROC_AUC("roc_auc", Task.CLASSIFICATION, true, true),
    PR_AUC("pr_auc", Task.CLASSIFICATION, true, true),
    LOG_LOSS("log_loss", Task.CLASSIFICATION, false, true),
    BRIER("brier", Task.CLASSIFICATION, false, true);

    /**
     * Names other tools record the same quantities under (mlflow.evaluate, scikit-learn function
     * names), so that recorded baseline metrics can be read as they were logged. MLflow's
     * {@code precision_recall_auc} is a trapezoidal area, not average precision, so it is not an
     * alias of {@code pr_auc}.
     */
    private static final Map<String, Metric> ALIASES = Map.ofEntries(
            Map.entry("root_mean_squared_error", RMSE),
            Map.entry("mean_absolute_error", MAE),
            Map.entry("r2_score", R2),
            Map.entry("mean_absolute_percentage_error", MAPE),
            Map.entry("accuracy_score", ACCURACY),
            Map.entry("precision_score", PRECISION),
            Map.entry("recall_score", RECALL),
            Map.entry("f1_score", F1),
            Map.entry("roc_auc_score", ROC_AUC),
            Map.entry("average_precision", PR_AUC),
            Map.entry("average_precision_score", PR_AUC),
            Map.entry("brier_score_loss", BRIER),
            Map.entry("brier_score", BRIER));

    private final String id;
    private final Task task;
    private final boolean greaterIsBetter;
    private final boolean needsScore;

    Metric(String id, Task task, boolean greaterIsBetter, boolean needsScore) {
        this.id = id;
        this.task = task;
        this.greaterIsBetter = greaterIsBetter;
        this.needsScore = needsScore;
    }

    /** The name used on the command line, in policies and in reports. */
    public String id() {
        return id;
    }

    public Task task() {
        return task;
    }

    /** The direction of improvement unless a policy overrides it. */
    public boolean greaterIsBetter() {
        return greaterIsBetter;
    }

    /** Whether the metric reads the score (probability of the positive class) rather than the predicted class. */
    public boolean needsScore() {
        return needsScore;
    }

    /** The metric with this gate name, e.g. {@code roc_auc}; bad input naming the known ones otherwise. */
    public static Metric fromId(String name, String where) {
        return lookup(name).orElseThrow(() -> new BadInputException(where + ": unknown metric '" + name
                + "'; known metrics: " + knownIds()));
    }

    /** The metric with this gate name or a recorded-metric alias ({@code f1_score}, {@code r2_score}, ...). */
    public static Optional<Metric> fromRecordedName(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        return lookup(key).or(() -> Optional.ofNullable(ALIASES.get(key)));
    }

    public static String knownIds() {
        return Arrays.stream(values()).map(Metric::id).collect(Collectors.joining(", "));
    }

    private static Optional<Metric> lookup(String name) {
        return Arrays.stream(values()).filter(m -> m.id.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
