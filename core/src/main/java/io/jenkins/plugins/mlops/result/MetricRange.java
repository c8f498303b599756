package io.jenkins.plugins.mlops.result;

import java.util.Locale;
import java.util.Map;

/**
 * The values a metric can take, by the gate's metric name: a score or a probability-based loss
 * lies in [0, 1], an error is never negative, R² is at most 1. Any step that reads metric values
 * written elsewhere (a gate report, recorded baseline metrics) checks them against this, because
 * an AUC of -1 is a tampered or broken file, not a model to compare with.
 */
public record MetricRange(double min, double max) {
    private static final MetricRange UNIT = new MetricRange(0, 1);
    private static final MetricRange NON_NEGATIVE = new MetricRange(0, Double.POSITIVE_INFINITY);
    private static final MetricRange ANY = new MetricRange(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

    private static final Map<String, MetricRange> KNOWN = Map.ofEntries(
            Map.entry("accuracy", UNIT), Map.entry("precision", UNIT), Map.entry("recall", UNIT), Map.entry("f1", UNIT),
            Map.entry("roc_auc", UNIT), Map.entry("pr_auc", UNIT), Map.entry("brier", UNIT),
            Map.entry("log_loss", NON_NEGATIVE), Map.entry("rmse", NON_NEGATIVE), Map.entry("mae", NON_NEGATIVE),
            Map.entry("mape", NON_NEGATIVE), Map.entry("r2", new MetricRange(Double.NEGATIVE_INFINITY, 1)));

    /** The range of the metric with this name; any finite number for a name it does not know. */
    public static MetricRange of(String metric) {
        return KNOWN.getOrDefault(metric == null ? "" : metric.strip().toLowerCase(Locale.ROOT), ANY);
    }

    /** Whether {@code value} is a finite number inside the range. */
    public boolean contains(double value) {
        return Double.isFinite(value) && value >= min && value <= max;
    }

    /** "[0, 1]", "≥ 0", "≤ 1" or "a finite number", for messages. */
    public String describe() {
        if (min == Double.NEGATIVE_INFINITY && max == Double.POSITIVE_INFINITY) {
            return "a finite number";
        }
        if (max == Double.POSITIVE_INFINITY) {
            return ">= " + number(min);
        }
        if (min == Double.NEGATIVE_INFINITY) {
            return "<= " + number(max);
        }
        return "in [" + number(min) + ", " + number(max) + "]";
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
