package io.jenkins.plugins.mlops.gate;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the gate treats slices (groups of hold-out rows that share a value of a column, e.g. a
 * region): each slice with at least {@code minSize} rows is held to the per-metric rules. Slices
 * get point comparisons only; the significance rule applies to the whole hold-out set.
 *
 * @param columns slice columns named in the policy (the command line can add more)
 * @param minSize slices with fewer rows are reported but not judged (too noisy to judge)
 * @param rules per-metric rules; {@code max_regression} and {@code no_significant_regression} are not
 *     available per slice
 */
public record SlicePolicy(List<String> columns, int minSize, Map<Metric, MetricRule> rules) implements Serializable {
    public static final int DEFAULT_MIN_SIZE = 100;

    public SlicePolicy {
        columns = List.copyOf(columns);
        if (minSize < 1) {
            throw new BadInputException("slices.min_size must be at least 1, got " + minSize);
        }
        rules = Collections.unmodifiableMap(new LinkedHashMap<>(rules));
        rules.forEach((metric, rule) -> {
            if (rule.needsInterval()) {
                String field = rule.maxRegression() != null ? "max_regression" : "no_significant_regression";
                throw new BadInputException("slices.metrics." + metric.id() + "." + field + ": the significance rules "
                        + "apply to the whole hold-out set only; use threshold or min_absolute_change per slice");
            }
        });
    }

    public static SlicePolicy none() {
        return new SlicePolicy(List.of(), DEFAULT_MIN_SIZE, Map.of());
    }
}
