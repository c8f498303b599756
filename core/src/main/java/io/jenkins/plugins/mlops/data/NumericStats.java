package io.jenkins.plugins.mlops.data;

import java.io.Serializable;

/**
 * Moments and range of a numeric column's finite values (NaN and infinities are counted apart).
 * Kept as count, mean and standard deviation so that two can be merged exactly (Chan et al.).
 */
public record NumericStats(long count, double min, double max, double mean, double std) implements Serializable {

    /**
     * The exact moments of integers from their counts (value to count, at least one): sums in
     * BigInteger, so the mean and variance are the correctly rounded rational ones, which no
     * floating-point pass gives.
     */
    static NumericStats ofIntegerCounts(java.util.Map<Long, Long> counts) {
        java.math.BigInteger n = java.math.BigInteger.ZERO;
        java.math.BigInteger sum = java.math.BigInteger.ZERO;
        java.math.BigInteger squares = java.math.BigInteger.ZERO;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (java.util.Map.Entry<Long, Long> entry : counts.entrySet()) {
            long value = entry.getKey();
            java.math.BigInteger count = java.math.BigInteger.valueOf(entry.getValue());
            java.math.BigInteger v = java.math.BigInteger.valueOf(value);
            n = n.add(count);
            sum = sum.add(v.multiply(count));
            squares = squares.add(v.multiply(v).multiply(count));
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        java.math.MathContext precision = java.math.MathContext.DECIMAL128;
        double mean = new java.math.BigDecimal(sum).divide(new java.math.BigDecimal(n), precision).doubleValue();
        // Population variance (n * sum of squares - sum^2) / n^2, exact up to the one division.
        java.math.BigInteger scaled = n.multiply(squares).subtract(sum.multiply(sum));
        double variance = new java.math.BigDecimal(scaled).divide(new java.math.BigDecimal(n.multiply(n)), precision).doubleValue();
        return new NumericStats(n.longValueExact(), min, max, mean, Math.sqrt(variance));
    }

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
