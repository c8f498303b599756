package io.jenkins.plugins.mlops.deploy.rollout;

import java.io.Serializable;

/**
 * One metric of an A/B experiment: both arms and the difference {@code b − a} with its interval.
 *
 * @param a arm a's value (rate, median, mean), null when not measured
 * @param difference {@code b − a}; for latency the Hodges-Lehmann shift
 * @param significant whether the interval excludes zero
 * @param note why a metric was not measured, else null
 */
public record AbComparison(String name, String test, long nA, Double a, long nB, Double b, Double difference, Double low,
                           Double high, Double pValue, boolean significant, String note) implements Serializable {

    public boolean measured() {
        return difference != null;
    }
}
