package io.jenkins.plugins.mlops.deploy.judge;

import java.io.Serializable;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * The difference of two means, {@code b − a}, with Welch's confidence interval (unequal variances,
 * Welch–Satterthwaite degrees of freedom). For 0/1 outcomes (a click, a conversion) this is the
 * difference of proportions with its Wald interval.
 */
public record MeanDifference(long nA, double meanA, long nB, double meanB, double difference, double low, double high,
                             double pValue, double confidence) implements Serializable {

    /** The difference of two proportions {@code kB/nB − kA/nA}, with the Wald interval. */
    public static MeanDifference ofProportions(long kA, long nA, long kB, long nB, double confidence) {
        double pa = (double) kA / nA;
        double pb = (double) kB / nB;
        double se = Math.sqrt(pa * (1 - pa) / nA + pb * (1 - pb) / nB);
        double difference = pb - pa;
        if (!(se > 0)) {
            return new MeanDifference(nA, pa, nB, pb, difference, difference, difference, difference == 0 ? 1 : 0, confidence);
        }
        NormalDistribution normal = NormalDistribution.of(0, 1);
        double half = normal.inverseSurvivalProbability((1 - confidence) / 2) * se;
        return new MeanDifference(nA, pa, nB, pb, difference, difference - half, difference + half,
                2 * normal.survivalProbability(Math.abs(difference) / se), confidence);
    }

    public static MeanDifference of(double[] a, double[] b, double confidence) {
        double meanA = Samples.mean(a);
        double meanB = Samples.mean(b);
        double va = Samples.variance(a) / a.length;
        double vb = Samples.variance(b) / b.length;
        double difference = meanB - meanA;
        double se = Math.sqrt(va + vb);
        if (!(se > 0)) {
            double p = difference == 0 ? 1 : 0;
            return new MeanDifference(a.length, meanA, b.length, meanB, difference, difference, difference, p, confidence);
        }
        double df = (va + vb) * (va + vb) / (va * va / (a.length - 1) + vb * vb / (b.length - 1));
        TDistribution t = TDistribution.of(df);
        double half = t.inverseSurvivalProbability((1 - confidence) / 2) * se;
        double p = 2 * t.survivalProbability(Math.abs(difference) / se);
        return new MeanDifference(a.length, meanA, b.length, meanB, difference, difference - half, difference + half,
                Math.min(1, p), confidence);
    }
}
