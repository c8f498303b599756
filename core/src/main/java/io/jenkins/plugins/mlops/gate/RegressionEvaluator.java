package io.jenkins.plugins.mlops.gate;

import java.util.List;

/**
 * rmse, mae, r2 and mape as scikit-learn 1.9 defines them ({@code root_mean_squared_error},
 * {@code mean_absolute_error}, {@code r2_score}, {@code mean_absolute_percentage_error} with
 * its epsilon floor on |y|). The per-row error terms are computed once, so a resample is one
 * weighted sum per metric.
 */
final class RegressionEvaluator implements MetricEvaluator {
    /** scikit-learn's floor on |y| in mape: {@code np.finfo(np.float64).eps}. */
    static final double MAPE_EPSILON = Math.ulp(1.0);

    private final List<Metric> metrics;
    private final double[] label;
    private final double[] squaredError;
    private final double[] absoluteError;
    private final double[] absolutePercentageError;

    RegressionEvaluator(double[] label, double[] prediction, List<Metric> metrics) {
        this.metrics = List.copyOf(metrics);
        this.label = label;
        int n = label.length;
        squaredError = new double[n];
        absoluteError = new double[n];
        absolutePercentageError = metrics.contains(Metric.MAPE) ? new double[n] : null;
        for (int i = 0; i < n; i++) {
            double error = label[i] - prediction[i];
            squaredError[i] = error * error;
            absoluteError[i] = Math.abs(prediction[i] - label[i]);
            if (absolutePercentageError != null) {
                absolutePercentageError[i] = absoluteError[i] / Math.max(Math.abs(label[i]), MAPE_EPSILON);
            }
        }
    }

    @Override
    public List<Metric> metrics() {
        return metrics;
    }

    @Override
    public double[] evaluate(int[] weights) {
        boolean withPercentage = absolutePercentageError != null;
        double total = 0;
        double squared = 0;
        double absolute = 0;
        double percentage = 0;
        double labelSum = 0;
        for (int i = 0; i < weights.length; i++) {
            int w = weights[i];
            total += w;
            squared += w * squaredError[i];
            absolute += w * absoluteError[i];
            labelSum += w * label[i];
            if (withPercentage) {
                percentage += w * absolutePercentageError[i];
            }
        }
        double[] values = new double[metrics.size()];
        for (int m = 0; m < values.length; m++) {
            values[m] = switch (metrics.get(m)) {
                case RMSE -> Math.sqrt(squared / total);
                case MAE -> absolute / total;
                case MAPE -> percentage / total;
                case R2 -> r2(weights, labelSum / total, squared);
                default -> throw new IllegalArgumentException(metrics.get(m) + " is not a regression metric");
            };
        }
        return values;
    }

    /** 1 - SS_res / SS_tot; undefined (not scikit-learn's forced 0 or 1) when the labels are constant. */
    private double r2(int[] weights, double mean, double residualSquares) {
        double totalSquares = 0;
        for (int i = 0; i < label.length; i++) {
            double deviation = label[i] - mean;
            totalSquares += weights[i] * deviation * deviation;
        }
        return totalSquares == 0 ? Double.NaN : 1 - residualSquares / totalSquares;
    }

    @Override
    public String undefinedReason(Metric metric) {
        if (metric != Metric.R2) {
            return null;
        }
        for (double y : label) {
            if (y != label[0]) {
                return null;
            }
        }
        return "the labels are constant, so r2 has no variance to explain";
    }
}
