package io.jenkins.plugins.mlops.data;

import java.io.Serializable;

/**
 * Moments and range of a numeric column's finite values (NaN and infinities are counted apart).
 * Kept as count, mean and standard deviation so that two can be merged exactly (Chan et al.).
 */
public record NumericStats(long count, double min, double max, double mean, double std) implements Serializable {

    public NumericStats merge(NumericStats other) {
        if (count == 0) {
            return other;
        }
        if (other.count == 0) {
            return this;
        }
        long n = count + other.count;
        double delta = other.mean - mean;
        double mergedMean = mean + delta * other.count / n;
        double m2 = std * std * count + other.std * other.std * other.count + delta * delta * count * (double) other.count / n;
        return new NumericStats(n, Math.min(min, other.min), Math.max(max, other.max), mergedMean, Math.sqrt(m2 / n));
    }
}
