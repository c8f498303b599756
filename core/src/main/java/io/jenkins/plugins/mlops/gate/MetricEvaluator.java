package io.jenkins.plugins.mlops.gate;

import java.util.List;

/**
 * Computes a fixed list of metrics for one model over the hold-out rows, each row counted as
 * often as its weight says. Point values use weight 1 for every row; a bootstrap resample uses
 * the number of times the resample drew each row, which gives exactly the metric of the
 * resampled data set without copying it. Implementations are immutable and thread-safe.
 */
interface MetricEvaluator {

    /** The metrics, in the order {@link #evaluate} returns them. */
    List<Metric> metrics();

    /**
     * @param weights how many times each row counts (length = rows, sum > 0)
     * @return one value per metric; {@code NaN} where the metric is undefined on these rows
     */
    double[] evaluate(int[] weights);

    /** Why a metric is undefined on the unweighted rows, for the report; {@code null} if it is defined. */
    String undefinedReason(Metric metric);
}
