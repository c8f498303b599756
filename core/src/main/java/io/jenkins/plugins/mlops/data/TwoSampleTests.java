package io.jenkins.plugins.mlops.data;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;

/**
 * The significance tests behind the drift verdicts, computed from histograms and category counts
 * so that they work against a saved profile as well as against data.
 */
final class TwoSampleTests {
    private TwoSampleTests() {}

    /** Kolmogorov-Smirnov statistic D: the largest gap between the two empirical CDFs on the common grid. */
    static double ksStatistic(long[] reference, long[] current) {
        double n = Arrays.stream(reference).sum();
        double m = Arrays.stream(current).sum();
        double a = 0;
        double b = 0;
        double d = 0;
        for (int i = 0; i < reference.length; i++) {
            a += reference[i];
            b += current[i];
            d = Math.max(d, Math.abs(a / n - b / m));
        }
        return d;
    }

    /**
     * Two-sample KS p-value from the asymptotic Kolmogorov distribution with Stephens' small-sample
     * correction of the effective size. On binned data D is a lower bound, so the p-value errs
     * towards "no drift", the safe side for an alarm.
     */
    static double ksPValue(double d, long n, long m) {
        if (d <= 0) {
            return 1;
        }
        double effective = Math.sqrt((double) n * m / (n + m));
        double lambda = (effective + 0.12 + 0.11 / effective) * d;
        if (lambda < 0.2) {
            return 1; // the series converges slowly here and its value is 1 to many digits
        }
        double sum = 0;
        for (int k = 1; k <= 100; k++) {
            double term = Math.exp(-2.0 * k * k * lambda * lambda);
            sum += (k % 2 == 1 ? term : -term);
            if (term < 1e-16) {
                break;
            }
        }
        return Math.max(0, Math.min(1, 2 * sum));
    }

    /** Pearson's chi-square test of homogeneity on a 2 x k table of counts; returns {statistic, p}. */
    static double[] chiSquare(long[] reference, long[] current) {
        double n = Arrays.stream(reference).sum();
        double m = Arrays.stream(current).sum();
        double total = n + m;
        double statistic = 0;
        int categories = 0;
        for (int i = 0; i < reference.length; i++) {
            double column = reference[i] + current[i];
            if (column == 0) {
                continue;
            }
            categories++;
            double expectedReference = column * n / total;
            double expectedCurrent = column * m / total;
            statistic += square(reference[i] - expectedReference) / expectedReference
                    + square(current[i] - expectedCurrent) / expectedCurrent;
        }
        if (categories < 2) {
            return new double[] {0, 1};
        }
        return new double[] {statistic, ChiSquaredDistribution.of(categories - 1).survivalProbability(statistic)};
    }

    /** Jensen-Shannon distance (square root of the divergence, base 2), between 0 and 1. */
    static double jensenShannon(long[] reference, long[] current) {
        double n = Arrays.stream(reference).sum();
        double m = Arrays.stream(current).sum();
        double divergence = 0;
        for (int i = 0; i < reference.length; i++) {
            double p = reference[i] / n;
            double q = current[i] / m;
            double mid = (p + q) / 2;
            divergence += (p > 0 ? p * log2(p / mid) : 0) / 2 + (q > 0 ? q * log2(q / mid) : 0) / 2;
        }
        return Math.sqrt(Math.max(0, Math.min(1, divergence)));
    }

    /** Wasserstein-1 distance between two histograms on the same grid of bin width {@code width}. */
    static double wasserstein(long[] reference, long[] current, double width) {
        double n = Arrays.stream(reference).sum();
        double m = Arrays.stream(current).sum();
        double a = 0;
        double b = 0;
        double distance = 0;
        for (int i = 0; i < reference.length; i++) {
            a += reference[i];
            b += current[i];
            distance += Math.abs(a / n - b / m) * width;
        }
        return distance;
    }

    /** Benjamini-Hochberg adjusted p-values (step-up, monotone, capped at 1), in input order. */
    static double[] benjaminiHochberg(double[] pValues) {
        int m = pValues.length;
        Integer[] order = IntStream.range(0, m).boxed().sorted(Comparator.comparingDouble(i -> pValues[i])).toArray(Integer[]::new);
        double[] adjusted = new double[m];
        double running = 1;
        for (int rank = m; rank >= 1; rank--) {
            int i = order[rank - 1];
            running = Math.min(running, pValues[i] * m / rank);
            adjusted[i] = Math.min(1, running);
        }
        return adjusted;
    }

    private static double square(double x) {
        return x * x;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
