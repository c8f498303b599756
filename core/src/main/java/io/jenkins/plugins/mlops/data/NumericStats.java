package io.jenkins.plugins.mlops.data;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Map;

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
    static NumericStats ofIntegerCounts(Map<Long, Long> counts) {
        BigInteger n = BigInteger.ZERO;
        BigInteger sum = BigInteger.ZERO;
        BigInteger squares = BigInteger.ZERO;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Map.Entry<Long, Long> entry : counts.entrySet()) {
            long value = entry.getKey();
            BigInteger count = BigInteger.valueOf(entry.getValue());
            BigInteger v = BigInteger.valueOf(value);
            n = n.add(count);
            sum = sum.add(v.multiply(count));
            squares = squares.add(v.multiply(v).multiply(count));
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        MathContext precision = MathContext.DECIMAL128;
        double mean = new BigDecimal(sum).divide(new BigDecimal(n), precision).doubleValue();
        // Population variance (n * sum of squares - sum^2) / n^2, exact up to the one division.
        BigInteger scaled = n.multiply(squares).subtract(sum.multiply(sum));
        double variance = new BigDecimal(scaled).divide(new BigDecimal(n.multiply(n)), precision).doubleValue();
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
