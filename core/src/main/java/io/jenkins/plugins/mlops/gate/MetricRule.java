package io.jenkins.plugins.mlops.gate;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;

/**
 * The policy's rules for one metric, spelled as MLflow's {@code MetricThreshold} and TFX's
 * {@code GenericValueThreshold}/{@code GenericChangeThreshold} spell them. Every field is
 * optional ({@code null} = rule not set).
 *
 * @param threshold absolute floor (greater is better) or ceiling (lower is better) for the candidate
 * @param minAbsoluteChange the candidate must beat the baseline by at least this much in the
 *     better direction; a negative value tolerates a regression of that size (TFX style)
 * @param minRelativeChange the same as a fraction of the baseline's magnitude ({@code 0.01} = 1 %)
 * @param greaterIsBetter overrides the metric's known direction
 * @param maxRegression the non-inferiority rule: the paired bootstrap interval of candidate minus
 *     baseline, oriented so positive is better, must have its lower bound above {@code -maxRegression}
 * @param noSignificantRegression the safe rule: that interval must not lie entirely below zero,
 *     so a candidate the data show to be worse fails, and one that differs by noise passes
 */
public record MetricRule(Double threshold, Double minAbsoluteChange, Double minRelativeChange,
        Boolean greaterIsBetter, Double maxRegression, boolean noSignificantRegression) implements Serializable {

    public MetricRule {
        requireFinite(threshold, "threshold");
        requireFinite(minAbsoluteChange, "min_absolute_change");
        requireFinite(minRelativeChange, "min_relative_change");
        requireFinite(maxRegression, "max_regression");
        if (maxRegression != null && maxRegression < 0) {
            throw new BadInputException("max_regression must be >= 0 (a tolerated regression size), got " + maxRegression);
        }
    }

    /** No rule but the metric's own direction. */
    public static MetricRule none() {
        return new MetricRule(null, null, null, null, null, false);
    }

    /** Whether any rule compares the candidate with the baseline (rather than with a fixed threshold). */
    public boolean comparesWithBaseline() {
        return minAbsoluteChange != null || minRelativeChange != null || needsInterval();
    }

    /** Whether a rule judges the paired bootstrap interval, which exists for the whole hold-out set only. */
    public boolean needsInterval() {
        return maxRegression != null || noSignificantRegression;
    }

    public boolean greaterIsBetter(Metric metric) {
        return greaterIsBetter != null ? greaterIsBetter : metric.greaterIsBetter();
    }

    private static void requireFinite(Double value, String field) {
        if (value != null && !Double.isFinite(value)) {
            throw new BadInputException(field + " must be a finite number, got " + value);
        }
    }
}
