package io.jenkins.plugins.mlops.deploy.judge;

import io.jenkins.plugins.mlops.deploy.VariantWindow;
import java.util.Locale;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.MannWhitneyUTest;

/**
 * Latency as Kayenta's judge does it: a one-sided Mann-Whitney U test (is the candidate slower?)
 * and the Hodges-Lehmann estimate of the shift, the median of all candidate-minus-stable
 * differences, with its distribution-free confidence interval. The candidate fails when it is
 * significantly slower and stable's median shifted by the estimate exceeds the allowed ratio.
 */
final class LatencyCriterion {
    static final String NAME = "latency";
    private static final String TEST = "Mann-Whitney U, one-sided; Hodges-Lehmann shift";
    /** Pairwise differences grow as n·m: 700 a side keeps one judgement well under a second. */
    private static final int MAX_SHIFT_SAMPLES = 700;
    private static final int MAX_TEST_SAMPLES = 20_000;

    private LatencyCriterion() {}

    static Criterion judge(VariantWindow stable, VariantWindow candidate, JudgePolicy policy) {
        String limit = "ratio ≤ " + policy.maxLatencyRatio();
        double[] s = Samples.bounded(stable.latenciesMs(), MAX_TEST_SAMPLES);
        double[] c = Samples.bounded(candidate.latenciesMs(), MAX_TEST_SAMPLES);
        if (stable.requests() < policy.minRequests() || candidate.requests() < policy.minRequests()
                || s.length < JudgePolicy.MIN_LATENCY_SAMPLES || c.length < JudgePolicy.MIN_LATENCY_SAMPLES) {
            return Criterion.inconclusive(NAME, TEST, limit, String.format(Locale.ROOT,
                    "Too few requests to judge latency: stable %d (%d samples), candidate %d (%d samples); %d requests "
                            + "and %d samples each needed.", stable.requests(), s.length, candidate.requests(), c.length,
                    policy.minRequests(), JudgePolicy.MIN_LATENCY_SAMPLES));
        }
        double p = MannWhitneyUTest.withDefaults().with(AlternativeHypothesis.GREATER_THAN).test(c, s).getPValue();
        HodgesLehmann shift = HodgesLehmann.bounded(c, s, MAX_SHIFT_SAMPLES, policy.confidence());
        double stableMedian = Samples.median(s);
        double ratio = ratio(stableMedian, shift.estimate());
        boolean fails = p < policy.alpha() && ratio > policy.maxLatencyRatio();
        String message = fails
                ? String.format(Locale.ROOT, "The candidate is significantly slower: +%.2f ms on stable's median %.2f ms.",
                        shift.estimate(), stableMedian)
                : p < policy.alpha() ? "The candidate is slower, but within the allowed ratio."
                : "No significant slowdown.";
        return new Criterion(NAME, TEST, stableMedian, Samples.median(c), ratio,
                ratio(stableMedian, shift.low()), ratio(stableMedian, shift.high()), p, limit,
                fails ? Verdict.FAIL : Verdict.PASS, message);
    }

    private static double ratio(double stableMedian, double shift) {
        if (stableMedian <= 0) {
            return shift <= 0 ? 1 : Double.POSITIVE_INFINITY;
        }
        return (stableMedian + shift) / stableMedian;
    }
}
