package io.jenkins.plugins.mlops.data;

/**
 * How many rows of a new sample may break an expectation learned from a reference sample before
 * the break says more than sampling does. An inferred expectation is a statement about the
 * population, and a reference of n rows knows it only so well: the next sample's largest value
 * exceeds the reference's about half the time, and a column without a missing value in 200 rows
 * can still miss one value in a hundred.
 *
 * <p>Each count K of the m new rows is Beta-binomial, the exact predictive distribution of a
 * count among exchangeable draws:
 * <ul>
 *   <li>values outside the reference's range: {@code BetaBinomial(m, 2, n - 1)}, because the
 *       share of a continuous population outside the range of n draws is Beta(2, n - 1)
 *       (mean 2/(n+1)); ties (integers, rounded values) only make it smaller;
 *   <li>missing values, k of n in the reference: {@code BetaBinomial(m, k + 1, n - k + 1)}, the
 *       posterior predictive under a uniform prior (Laplace's rule of succession);
 *   <li>values the reference never saw: the same with k = the reference's values seen once,
 *       Good and Turing's estimate of the share still unseen.
 * </ul>
 * A check fails when K exceeds the count that same-population data exceeds with probability
 * below {@code alpha}.
 */
final class SamplingTolerance {
    private SamplingTolerance() {}

    /** The most of {@code m} new values that may lie outside the range of {@code n} reference values. */
    static long outsideRange(long n, long m, double alpha) {
        return n < 2 ? m : tolerated(m, 2, n - 1, alpha);
    }

    /** The most of {@code m} new rows that may hold an event that {@code k} of {@code n} reference rows held. */
    static long events(long k, long n, long m, double alpha) {
        return tolerated(m, k + 1, n - k + 1, alpha);
    }

    /**
     * The smallest count L with {@code P(K > L) < alpha} for {@code K ~ BetaBinomial(m, a, b)},
     * with integer shape parameters; summed from 0 with the pmf's recurrence, in logs so that
     * large counts neither overflow nor lose the mass near the mode.
     */
    static long tolerated(long m, long a, long b, double alpha) {
        if (m <= 0) {
            return 0;
        }
        double logPmf = logPmfAtZero(m, a, b);
        double cumulative = 0;
        for (long k = 0; k < m; k++) {
            cumulative += Math.exp(logPmf);
            if (cumulative > 1 - alpha) {
                return k;
            }
            logPmf += Math.log((double) (m - k) * (k + a)) - Math.log((double) (k + 1) * (m - k - 1 + b));
        }
        return m;
    }

    /** log P(K = 0) = log B(a, b + m) - log B(a, b) = sum over i < a of log((b + i) / (b + m + i)). */
    private static double logPmfAtZero(long m, long a, long b) {
        double sum = 0;
        for (long i = 0; i < a; i++) {
            sum += Math.log((double) (b + i)) - Math.log((double) (b + m + i));
        }
        return sum;
    }
}
