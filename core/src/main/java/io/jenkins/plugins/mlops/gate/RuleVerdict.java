package io.jenkins.plugins.mlops.gate;

import io.jenkins.plugins.mlops.result.Status;
import java.io.Serializable;

/**
 * One policy rule held against the data: what was observed, the limit, and the verdict.
 *
 * @param rule {@code not_worse} (the default rule), {@code threshold}, {@code min_absolute_change},
 *     {@code min_relative_change}, {@code max_regression} or {@code no_significant_regression}
 * @param metric the metric it applies to
 * @param slice {@code column=value} for a slice rule, {@code null} for the whole hold-out set
 * @param observed the value held against the limit (the candidate's metric, or for
 *     {@code max_regression} the interval end on the side of a regression, for
 *     {@code no_significant_regression} the end on the better side)
 * @param comparison how observed must relate to limit to pass: {@code >=}, {@code <=}, {@code >} or {@code <}
 * @param verdict PASS, FAIL, or ERROR when the rule could not be evaluated
 */
public record RuleVerdict(String rule, String metric, String slice, Double observed, String comparison, Double limit,
        Status verdict, String message) implements Serializable {}
