package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NumericHistogramTest {

    /** The histogram the profiler's SQL computes, computed here in Java for the test. */
    static NumericHistogram of(double[] values, boolean integral) {
        double min = Arrays.stream(values).min().orElseThrow();
        double max = Arrays.stream(values).max().orElseThrow();
        int log2 = NumericHistogram.widthLog2For(min, max, integral);
        long first = NumericHistogram.binIndex(min, log2);
        long[] counts = new long[(int) (NumericHistogram.binIndex(max, log2) - first + 1)];
        for (double value : values) {
            counts[(int) (NumericHistogram.binIndex(value, log2) - first)]++;
        }
        return new NumericHistogram(log2, first, counts);
    }

    private static double[] normal(int n, long seed, double mean, double sd) {
        Random random = new Random(seed);
        return random.doubles(n).map(u -> mean + sd * random.nextGaussian()).toArray();
    }

    @Test
    void gridHasAtMostMaxBinsAndAtLeastHalfAsMany() {
        for (double[] range : new double[][] {{0, 1}, {-3.7, 1e6}, {1e-9, 2e-9}, {42, 42}, {-1e300, 1e300}}) {
            int log2 = NumericHistogram.widthLog2For(range[0], range[1], false);
            long bins = NumericHistogram.binIndex(range[1], log2) - NumericHistogram.binIndex(range[0], log2) + 1;
            assertThat(bins).as(Arrays.toString(range)).isBetween(1L, (long) NumericHistogram.MAX_BINS);
            if (range[1] > range[0]) {
                assertThat(bins).as(Arrays.toString(range)).isGreaterThan(NumericHistogram.MAX_BINS / 4);
            }
        }
        assertThat(NumericHistogram.widthLog2For(0, 10, true)).as("integers need no bin narrower than 1").isZero();
    }

    @Test
    void mergeEqualsTheHistogramOfAllTheData() {
        double[] a = normal(5_000, 1, 10, 3);
        double[] b = normal(7_000, 2, 30, 8);
        double[] all = new double[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);

        NumericHistogram merged = of(a, false).merge(of(b, false));

        assertThat(merged).isEqualTo(of(all, false));
        assertThat(of(b, false).merge(of(a, false))).isEqualTo(merged);
    }

    @Test
    void coarseningKeepsEveryCount() {
        NumericHistogram fine = of(normal(1_000, 3, 0, 1), false);
        NumericHistogram coarse = fine.coarsenTo(fine.binWidthLog2() + 3);

        assertThat(coarse.total()).isEqualTo(1_000);
        assertThat(coarse.counts().length).isLessThanOrEqualTo(fine.counts().length / 8 + 2);
    }

    @Test
    void quantilesAreWithinOneBinOfTheExactOnes() {
        double[] values = normal(20_000, 4, 100, 15);
        NumericHistogram histogram = of(values, false);
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        for (double p : new double[] {0.01, 0.25, 0.5, 0.75, 0.99}) {
            double exact = sorted[(int) Math.floor(p * (sorted.length - 1))];
            assertThat(histogram.quantile(p, sorted[0], sorted[sorted.length - 1])).as("p" + p)
                    .isCloseTo(exact, within(histogram.binWidth()));
        }
    }

    @Test
    void numericStatsMergeExactly() {
        double[] a = normal(1_000, 5, 3, 2);
        double[] b = normal(3_000, 6, -1, 5);
        NumericStats merged = stats(a).merge(stats(b));
        double[] all = new double[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        NumericStats whole = stats(all);

        assertThat(merged.count()).isEqualTo(whole.count());
        assertThat(merged.mean()).isCloseTo(whole.mean(), within(1e-9));
        assertThat(merged.std()).isCloseTo(whole.std(), within(1e-9));
        assertThat(merged.min()).isEqualTo(whole.min());
    }

    private static NumericStats stats(double[] values) {
        double mean = Arrays.stream(values).average().orElseThrow();
        double variance = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / values.length;
        return new NumericStats(values.length, Arrays.stream(values).min().orElseThrow(), Arrays.stream(values).max().orElseThrow(),
                mean, Math.sqrt(variance));
    }
}
