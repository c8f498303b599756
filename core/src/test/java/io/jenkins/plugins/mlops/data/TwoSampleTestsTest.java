package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TwoSampleTestsTest {

    @Test
    void benjaminiHochbergMatchesRsPAdjust() {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5), "BH")
        double[] adjusted = TwoSampleTests.benjaminiHochberg(new double[] {0.01, 0.04, 0.03, 0.005, 0.5});
        assertThat(adjusted).containsExactly(new double[] {0.025, 0.05, 0.05, 0.025, 0.5}, within(1e-12));
    }

    @Test
    void ksPValueFollowsTheKolmogorovDistribution() {
        // Q_KS(1.36) = 0.0494 is the classic 5% point; lambda = (sqrt(ne) + 0.12 + 0.11/sqrt(ne)) * D.
        long n = 1_000_000;
        double effective = Math.sqrt(n / 2.0);
        double d = 1.36 / (effective + 0.12 + 0.11 / effective);
        assertThat(TwoSampleTests.ksPValue(d, n, n)).isCloseTo(0.0494, within(5e-4));
        assertThat(TwoSampleTests.ksPValue(0, 10, 10)).isEqualTo(1);
        assertThat(TwoSampleTests.ksPValue(0.5, 100_000, 100_000)).isLessThan(1e-10);
    }

    @Test
    void chiSquareOfATwoByTwoTable() {
        // 2x2 table {{10, 20}, {30, 40}}: Pearson X^2 = 0.7937, p = 0.3730 (R: chisq.test(correct = FALSE))
        double[] result = TwoSampleTests.chiSquare(new long[] {10, 20}, new long[] {30, 40});
        assertThat(result[0]).isCloseTo(0.7937, within(1e-4));
        assertThat(result[1]).isCloseTo(0.3730, within(1e-4));
    }

    @Test
    void jensenShannonIsZeroForEqualAndOneForDisjointDistributions() {
        assertThat(TwoSampleTests.jensenShannon(new long[] {5, 5}, new long[] {50, 50})).isCloseTo(0, within(1e-12));
        assertThat(TwoSampleTests.jensenShannon(new long[] {5, 0}, new long[] {0, 7})).isCloseTo(1, within(1e-12));
    }

    @Test
    void wassersteinOfAShiftIsTheShift() {
        // All mass in bin 0 versus all in bin 3, bins of width 0.5: the mass moves 1.5.
        assertThat(TwoSampleTests.wasserstein(new long[] {4, 0, 0, 0}, new long[] {0, 0, 0, 9}, 0.5)).isCloseTo(1.5, within(1e-12));
    }
}
