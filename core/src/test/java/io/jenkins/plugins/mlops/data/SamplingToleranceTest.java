package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tolerances are calibrated: same-population samples exceed them at most as often as alpha says. */
class SamplingToleranceTest {
    private static final int SIMULATIONS = 20_000;

    @Test
    void uniformShapesGiveTheUniformQuantile() {
        // BetaBinomial(m, 1, 1) is uniform on 0..m: P(K > L) = (m - L) / (m + 1).
        assertThat(SamplingTolerance.tolerated(99, 1, 1, 0.05)).isEqualTo(94);
        assertThat(SamplingTolerance.tolerated(99, 1, 1, 0.5)).isEqualTo(49);
    }

    @Test
    void oneNewValueFallsOutsideTheRangeOfNWithProbabilityTwoOverNPlusOne() {
        // n = 99: 2 / (n + 1) = 0.02 outside; tolerated at alpha 0.03, not at 0.01.
        assertThat(SamplingTolerance.outsideRange(99, 1, 0.03)).isEqualTo(0);
        assertThat(SamplingTolerance.outsideRange(99, 1, 0.01)).isEqualTo(1);
        assertThat(SamplingTolerance.outsideRange(1, 50, 0.01)).as("one value has no range to speak of").isEqualTo(50);
        assertThat(SamplingTolerance.tolerated(0, 2, 5, 0.01)).isZero();
    }

    @Test
    void rowsOutsideTheReferenceRangeExceedTheToleranceAsRarelyAsAlphaSays() {
        Random random = new Random(7);
        int n = 100;
        int m = 300;
        double alpha = 0.05;
        long tolerated = SamplingTolerance.outsideRange(n, m, alpha);
        int alarms = 0;
        for (int s = 0; s < SIMULATIONS; s++) {
            double[] reference = random.doubles(n).map(u -> -Math.log(u)).toArray(); // a skewed population
            double min = Arrays.stream(reference).min().orElseThrow();
            double max = Arrays.stream(reference).max().orElseThrow();
            long outside = random.doubles(m).map(u -> -Math.log(u)).filter(x -> x < min || x > max).count();
            alarms += outside > tolerated ? 1 : 0;
        }
        assertThat((double) alarms / SIMULATIONS).isBetween(0.02, alpha);
    }

    @Test
    void missingValuesExceedTheToleranceAsRarelyAsAlphaSays() {
        Random random = new Random(11);
        int n = 200;
        int m = 200;
        double alpha = 0.05;
        for (double rate : new double[] {0.005, 0.02, 0.1}) {
            int alarms = 0;
            for (int s = 0; s < SIMULATIONS; s++) {
                long before = random.doubles(n).filter(u -> u < rate).count();
                long now = random.doubles(m).filter(u -> u < rate).count();
                alarms += now > SamplingTolerance.events(before, n, m, alpha) ? 1 : 0;
            }
            assertThat((double) alarms / SIMULATIONS).as("rate " + rate).isLessThanOrEqualTo(alpha);
        }
    }

    @Test
    void aRateWellAboveTheReferencesIsCaught() {
        // 0 of 2,000 missing before; 2% of 2,000 now.
        assertThat(SamplingTolerance.events(0, 2_000, 2_000, 1e-3)).isLessThan(40);
        // Large counts stay exact: 15% of a million rows before, the tolerance sits just above 15%.
        long tolerated = SamplingTolerance.events(150_000, 1_000_000, 1_000_000, 1e-3);
        assertThat(tolerated).isBetween(150_500L, 152_000L);
    }
}
