package io.jenkins.plugins.mlops.gate;

import java.io.Serializable;

/**
 * One metric of both models on the same rows. Values are {@code null} where they do not exist
 * (an undefined metric, a recorded baseline without intervals), never NaN.
 *
 * @param name the metric, e.g. {@code roc_auc}
 * @param difference candidate - baseline (not oriented; {@code greaterIsBetter} says which sign is better)
 * @param ciLow lower end of the paired bootstrap interval of the difference
 * @param ciHigh upper end of that interval
 * @param primary whether the decision is about this metric
 * @param note why a value is missing, or another remark a reader needs
 */
public record MetricComparison(String name, Double baseline, Double candidate, Double difference, Double ciLow,
        Double ciHigh, boolean greaterIsBetter, boolean primary, String note) implements Serializable {}
