package io.jenkins.plugins.mlops.gate;

import java.util.List;

/**
 * The hold-out set in memory, one row per example with both models' outputs side by side, read
 * into primitive arrays (a million rows take tens of megabytes). Regression fills
 * {@code label}; classification fills {@code labelClass} and {@code classes}.
 *
 * @param baseline the baseline's outputs, or {@code null} when the baseline is recorded metrics
 * @param slices the slice columns, each value per row
 */
record HoldOut(Task task, int rows, double[] label, int[] labelClass, ClassCoding classes,
        ModelOutputs baseline, ModelOutputs candidate, List<SliceColumn> slices) {

    /**
     * One model's outputs on the hold-out rows.
     *
     * @param prediction regression predictions
     * @param predictedClass classification: predicted class codes
     * @param score classification: the positive-class score, or {@code null} without {@code --score}
     */
    record ModelOutputs(double[] prediction, int[] predictedClass, double[] score) {
        ModelOutputs select(int[] rows) {
            return new ModelOutputs(pick(prediction, rows), pick(predictedClass, rows), pick(score, rows));
        }
    }

    /**
     * @param values the distinct values in order of first appearance ({@code null} values read "(null)")
     * @param valueIndex per row, the index of its value
     */
    record SliceColumn(String name, List<String> values, int[] valueIndex) {}

    MetricEvaluator evaluator(ModelOutputs outputs, List<Metric> metrics) {
        return task == Task.REGRESSION
                ? new RegressionEvaluator(label, outputs.prediction(), metrics)
                : new ClassificationEvaluator(labelClass, outputs.predictedClass(), outputs.score(), classes, metrics);
    }

    /** The rows with these indices, as a hold-out set of their own (a slice). */
    HoldOut select(int[] rowIndices) {
        return new HoldOut(task, rowIndices.length, pick(label, rowIndices), pick(labelClass, rowIndices), classes,
                baseline == null ? null : baseline.select(rowIndices), candidate.select(rowIndices), List.of());
    }

    private static double[] pick(double[] values, int[] rows) {
        if (values == null) {
            return null;
        }
        double[] picked = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            picked[i] = values[rows[i]];
        }
        return picked;
    }

    private static int[] pick(int[] values, int[] rows) {
        if (values == null) {
            return null;
        }
        int[] picked = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            picked[i] = values[rows[i]];
        }
        return picked;
    }
}
