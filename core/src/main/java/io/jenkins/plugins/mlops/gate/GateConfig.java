package io.jenkins.plugins.mlops.gate;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything the gate needs, validated on construction. Build it with {@link #builder}.
 *
 * @param baseline the baseline's predictions file or its recorded metrics
 * @param candidateFile the candidate's predictions on the hold-out set (CSV, Parquet, JSON lines)
 * @param labelColumn the true value, read from the candidate file (and checked against the baseline file's, if it has one)
 * @param predictionColumn the predicted value or class, in both files; may be null for classification
 *     with a score column, whose {@code threshold} then gives the class
 * @param scoreColumn classification: the positive-class probability, in both files; may be null
 * @param idColumn join rows by this column; null pairs rows by position
 * @param task null to infer (from the metrics, the score column, else the label column's type)
 * @param metrics metrics named by the user, the first is the primary one unless the policy says otherwise
 * @param sliceColumns compute metrics per value of these columns (added to the policy's)
 * @param positiveClass the class the binary metrics treat as positive (scikit-learn's pos_label)
 * @param threshold without a prediction column, a score at or above it predicts the positive class
 */
public record GateConfig(BaselineSource baseline, String candidateFile, String labelColumn, String predictionColumn,
        String scoreColumn, String idColumn, Task task, List<Metric> metrics, GatePolicy policy, double confidence,
        int resamples, long seed, List<String> sliceColumns, String positiveClass, double threshold)
        implements Serializable {

    public static final double DEFAULT_CONFIDENCE = 0.95;
    public static final int DEFAULT_RESAMPLES = 1000;
    public static final long DEFAULT_SEED = 42;
    public static final int MIN_RESAMPLES = 100;
    public static final int MAX_RESAMPLES = 100_000;
    /** As scikit-learn's predict for probabilistic classifiers, and its FixedThresholdClassifier's default. */
    public static final double DEFAULT_THRESHOLD = 0.5;

    public GateConfig {
        if (baseline == null) {
            throw new BadInputException("a baseline is required: its predictions, or its recorded metrics");
        }
        candidateFile = required(candidateFile, "candidate predictions file");
        labelColumn = required(labelColumn, "label column");
        predictionColumn = blankToNull(predictionColumn);
        scoreColumn = blankToNull(scoreColumn);
        if (predictionColumn == null && scoreColumn == null) {
            throw new BadInputException("--prediction is required (the predicted value or class); for classification "
                    + "--score alone will do: ranking metrics need only the score, and a class comes from it at --threshold");
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new BadInputException("--threshold must be a probability in [0, 1], got " + threshold);
        }
        idColumn = blankToNull(idColumn);
        metrics = List.copyOf(new LinkedHashSet<>(metrics));
        policy = policy == null ? GatePolicy.defaults() : policy;
        sliceColumns = List.copyOf(sliceColumns);
        positiveClass = positiveClass == null || positiveClass.isBlank() ? "1" : positiveClass;
        if (!(confidence > 0 && confidence < 1)) {
            throw new BadInputException("confidence must be between 0 and 1 (e.g. 0.95), got " + confidence);
        }
        if (resamples < MIN_RESAMPLES || resamples > MAX_RESAMPLES) {
            throw new BadInputException("resamples must be between " + MIN_RESAMPLES + " and " + MAX_RESAMPLES
                    + " (a percentile interval needs at least a hundred), got " + resamples);
        }
        Set<Task> tasks = new LinkedHashSet<>();
        if (task != null) {
            tasks.add(task);
        }
        for (Metric metric : namedMetrics(metrics, policy)) {
            tasks.add(metric.task());
            if (tasks.size() > 1) {
                throw new BadInputException("metric " + metric.id() + " is for " + metric.task().id() + ", but "
                        + (task != null ? "--task is " + task.id() : "other metrics are for " + tasks.iterator().next().id()));
            }
        }
        if (scoreColumn != null && tasks.contains(Task.REGRESSION)) {
            throw new BadInputException("--score is for classification (the positive-class probability); this gate is regression");
        }
        if (predictionColumn == null && tasks.contains(Task.REGRESSION)) {
            throw new BadInputException("--prediction is required for regression");
        }
    }

    /** The task as far as the config tells it: explicit, else from the metrics or a score column; null to read from the data. */
    public Task declaredTask() {
        if (task != null) {
            return task;
        }
        List<Metric> named = namedMetrics(metrics, policy);
        if (!named.isEmpty()) {
            return named.get(0).task();
        }
        return scoreColumn != null ? Task.CLASSIFICATION : null;
    }

    /** Whether the predicted class comes from the score at {@link #threshold} (no prediction column). */
    public boolean classFromScore() {
        return predictionColumn == null;
    }

    /** Slice columns from the command line and the policy, each once. */
    public List<String> allSliceColumns() {
        Set<String> all = new LinkedHashSet<>(sliceColumns);
        all.addAll(policy.slices().columns());
        return List.copyOf(all);
    }

    public boolean pairedBaseline() {
        return baseline instanceof BaselinePredictions;
    }

    /** Metrics the user asked for, by option or policy: failing to compute one of these fails the gate. */
    static List<Metric> namedMetrics(List<Metric> metrics, GatePolicy policy) {
        Set<Metric> named = new LinkedHashSet<>(metrics);
        if (policy.primaryMetric() != null) {
            named.add(policy.primaryMetric());
        }
        named.addAll(policy.rules().keySet());
        named.addAll(policy.slices().rules().keySet());
        return new ArrayList<>(named);
    }

    private static String required(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new BadInputException("the " + what + " is not set");
        }
        return value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    public static Builder builder(BaselineSource baseline, String candidateFile, String labelColumn, String predictionColumn) {
        return new Builder(baseline, candidateFile, labelColumn, predictionColumn);
    }

    /** Optional settings with their defaults; {@link #build} validates. */
    public static final class Builder {
        private final BaselineSource baseline;
        private final String candidateFile;
        private final String labelColumn;
        private final String predictionColumn;
        private String scoreColumn;
        private String idColumn;
        private Task task;
        private List<Metric> metrics = List.of();
        private GatePolicy policy = GatePolicy.defaults();
        private double confidence = DEFAULT_CONFIDENCE;
        private int resamples = DEFAULT_RESAMPLES;
        private long seed = DEFAULT_SEED;
        private List<String> sliceColumns = List.of();
        private String positiveClass = "1";
        private double threshold = DEFAULT_THRESHOLD;

        private Builder(BaselineSource baseline, String candidateFile, String labelColumn, String predictionColumn) {
            this.baseline = baseline;
            this.candidateFile = candidateFile;
            this.labelColumn = labelColumn;
            this.predictionColumn = predictionColumn;
        }

        public Builder score(String column) {
            this.scoreColumn = column;
            return this;
        }

        public Builder id(String column) {
            this.idColumn = column;
            return this;
        }

        public Builder task(Task value) {
            this.task = value;
            return this;
        }

        public Builder metrics(List<Metric> value) {
            this.metrics = value;
            return this;
        }

        public Builder policy(GatePolicy value) {
            this.policy = value;
            return this;
        }

        public Builder confidence(double value) {
            this.confidence = value;
            return this;
        }

        public Builder resamples(int value) {
            this.resamples = value;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder slices(List<String> columns) {
            this.sliceColumns = columns;
            return this;
        }

        public Builder positiveClass(String value) {
            this.positiveClass = value;
            return this;
        }

        public Builder threshold(double value) {
            this.threshold = value;
            return this;
        }

        public GateConfig build() {
            return new GateConfig(baseline, candidateFile, labelColumn, predictionColumn, scoreColumn, idColumn, task,
                    metrics, policy, confidence, resamples, seed, sliceColumns, positiveClass, threshold);
        }
    }
}
