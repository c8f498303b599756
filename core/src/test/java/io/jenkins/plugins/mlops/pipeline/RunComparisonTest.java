package io.jenkins.plugins.mlops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sentence a run's summary says about its candidate against the champion, on the same rows. */
class RunComparisonTest {
    @Test
    void saysWhetherTheIntervalShowsTheCandidateBetterWorseOrNeither() {
        assertThat(comparison(true, 0.905, 0.876, 0.024, 0.035).sentence()).isEqualTo("on the same 5,000 hold-out rows "
                + "roc_auc 0.9050 vs 0.8760 for the champion (version 1): +0.0290 [+0.0240, +0.0350], significantly better");
        assertThat(comparison(true, 0.888, 0.905, -0.021, -0.014).sentence()).endsWith("significantly worse");
        assertThat(comparison(true, 0.9, 0.9, -0.004, 0.003).sentence()).endsWith("not significantly different");
    }

    @Test
    void forALowerIsBetterMetricAnIntervalBelowZeroIsBetter() {
        assertThat(comparison(false, 0.40, 0.45, -0.06, -0.04).sentence()).endsWith("significantly better");
        assertThat(comparison(false, 0.50, 0.45, 0.03, 0.07).sentence()).endsWith("significantly worse");
    }

    @Test
    void theFirstModelHasNoChampionToCompareWith() {
        assertThat(new RunComparison("roc_auc", true, 5000, null, null, 0.86, null, null, true, 1).sentence()).isNull();
    }

    private static RunComparison comparison(boolean greaterIsBetter, double candidate, double champion, double low, double high) {
        return new RunComparison(greaterIsBetter ? "roc_auc" : "log_loss", greaterIsBetter, 5000, champion, 1, candidate,
                low, high, false, null);
    }
}
