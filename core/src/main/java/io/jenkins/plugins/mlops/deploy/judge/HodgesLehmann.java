package io.jenkins.plugins.mlops.deploy.judge;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * The Hodges-Lehmann estimate of the shift between two samples, the median of all pairwise
 * differences {@code x − y}, with its distribution-free confidence interval (the order statistics
 * of the differences that the Mann-Whitney U statistic's normal approximation gives).
 */
public record HodgesLehmann(double estimate, double low, double high) implements Serializable {

    /** Samples are bounded by the caller: the differences number {@code x.length · y.length}. */
    public static HodgesLehmann of(double[] x, double[] y, double confidence) {
        int n = x.length;
        int m = y.length;
        double[] differences = new double[n * m];
        int k = 0;
        for (double a : x) {
            for (double b : y) {
                differences[k++] = a - b;
            }
        }
        Arrays.sort(differences);
        double estimate = Samples.median(differences);
        double z = NormalDistribution.of(0, 1).inverseSurvivalProbability((1 - confidence) / 2);
        double spread = z * Math.sqrt((double) n * m * (n + m + 1) / 12.0);
        int lowIndex = (int) Math.max(0, Math.floor(n * (double) m / 2 - spread));
        int highIndex = (int) Math.min(differences.length - 1, Math.ceil(n * (double) m / 2 + spread) - 1);
        return new HodgesLehmann(estimate, differences[lowIndex], differences[Math.max(lowIndex, highIndex)]);
    }

    /** {@code of} over bounded, finite, seeded subsamples of both. */
    public static HodgesLehmann bounded(double[] x, double[] y, int maxPerSide, double confidence) {
        return of(Samples.bounded(x, maxPerSide), Samples.bounded(y, maxPerSide), confidence);
    }
}
