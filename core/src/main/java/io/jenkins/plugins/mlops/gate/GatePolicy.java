package io.jenkins.plugins.mlops.gate;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rules a candidate must satisfy. Without a policy file the gate applies the rule ML teams
 * expect: the candidate's primary metric must not be worse than the baseline's. That default
 * rule also applies when the policy gives the primary metric no rule that compares it with the
 * baseline ({@code min_absolute_change}, {@code min_relative_change}, {@code max_regression} or
 * {@code no_significant_regression}),
 * so that a policy with thresholds only cannot ship a model worse than production.
 *
 * @param primaryMetric the metric the decision is about, or {@code null} for the default
 *     (the first {@code --metric}, else rmse for regression, roc_auc with a score column, else accuracy)
 * @param rules per-metric rules in the order the policy lists them
 * @param slices per-slice rules
 */
public record GatePolicy(Metric primaryMetric, Map<Metric, MetricRule> rules, SlicePolicy slices) implements Serializable {

    public GatePolicy {
        rules = Collections.unmodifiableMap(new LinkedHashMap<>(rules));
        slices = slices == null ? SlicePolicy.none() : slices;
    }

    /** The policy used when no policy file is given. */
    public static GatePolicy defaults() {
        return new GatePolicy(null, Map.of(), SlicePolicy.none());
    }

    public MetricRule ruleFor(Metric metric) {
        return rules.getOrDefault(metric, MetricRule.none());
    }

    public boolean greaterIsBetter(Metric metric) {
        return ruleFor(metric).greaterIsBetter(metric);
    }
}
