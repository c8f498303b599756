package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The one-pass bins equal a GROUP BY on the profile's grid, whatever order the values come in. */
class NestedHistogramTest {
    @Test
    void binsOnTheFinalGridEqualCountingEachValueOnItWhateverTheOrder() {
        SplittableRandom random = new SplittableRandom(7);
        List<double[]> datasets = new ArrayList<>();
        datasets.add(random.doubles(50_000, -3, 1e6).toArray()); // wide, random order
        double[] ascending = new double[300_000];
        for (int i = 0; i < ascending.length; i++) {
            ascending[i] = i + 1; // a key, sorted: the bins outgrow the span many times
        }
        datasets.add(ascending);
        double[] descending = new double[40_000];
        for (int i = 0; i < descending.length; i++) {
            descending[i] = 1e-3 * (descending.length - i); // narrow floats, sorted the other way
        }
        datasets.add(descending);
        datasets.add(new double[] {5, 5, 5}); // one value
        datasets.add(random.doubles(10_000, 1.0, 1.0 + 1e-9).toArray()); // a range of a few ulps' thousands
        for (boolean integral : new boolean[] {false, true}) {
            for (double[] values : datasets) {
                double[] data = values.clone();
                if (integral) {
                    for (int i = 0; i < data.length; i++) {
                        data[i] = Math.floor(data[i]);
                    }
                }
                List<Double> inexact = new ArrayList<>();
                NestedHistogram histogram = new NestedHistogram(integral, inexact::add);
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (double x : data) {
                    histogram.add(x);
                    min = Math.min(min, x);
                    max = Math.max(max, x);
                }
                int log2 = NumericHistogram.widthLog2For(min, max, integral);
                Map<Object, Long> expected = new HashMap<>();
                for (double x : data) {
                    expected.merge((long) Math.floor(x * Math.scalb(1.0, -log2)), 1L, Long::sum);
                }
                assertThat(histogram.on(log2)).as("%d values, integral %s", data.length, integral).isEqualTo(expected);
                long distinct = java.util.Arrays.stream(data).distinct().count();
                if (integral && !histogram.exact()) {
                    // Told every distinct value seen before the bins grew wider than one: none twice.
                    assertThat(inexact).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo((int) distinct);
                }
            }
        }
    }
}
