package io.jenkins.plugins.mlops.gate;

import io.jenkins.plugins.mlops.result.Status;
import java.io.Serializable;
import java.util.List;

/**
 * The metrics of both models on the rows of one slice (point values; intervals are for the whole set).
 *
 * @param judged false when the slice is smaller than the policy's {@code min_size} or no slice rule is set
 * @param status the worst verdict of the slice's rules, PASS when not judged
 */
public record SliceComparison(String column, String value, int rows, boolean judged, Status status,
        List<MetricComparison> metrics) implements Serializable {

    public SliceComparison {
        metrics = List.copyOf(metrics);
    }

    /** {@code column=value}, as rules and checks name the slice. */
    public String label() {
        return column + "=" + value;
    }
}
