package io.jenkins.plugins.mlops.deploy.judge;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Sample helpers the criteria share: finite values only, a bounded seeded subsample, medians. */
public final class Samples {
    private static final long SEED = 20_240_611L;

    private Samples() {}

    /** The finite values, at most {@code max} of them, drawn without replacement by a fixed seed. */
    public static double[] bounded(double[] values, int max) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
        if (finite.length <= max) {
            return finite;
        }
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < max; i++) {
            int j = i + random.nextInt(finite.length - i);
            double swap = finite[i];
            finite[i] = finite[j];
            finite[j] = swap;
        }
        return Arrays.copyOf(finite, max);
    }

    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    public static double variance(double[] values) {
        double mean = mean(values);
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return values.length < 2 ? Double.NaN : sum / (values.length - 1);
    }
}
