package io.jenkins.plugins.mlops.deploy.judge;

import io.jenkins.plugins.mlops.deploy.VariantWindow;
import java.util.Locale;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.PValueMethod;

/**
 * The candidate's predictions against stable's over the same interval (the same population of
 * requests, split at random): a two-sample Kolmogorov-Smirnov test. A model that answers every
 * request but predicts differently is caught here, which no HTTP-level judge sees.
 */
final class PredictionDriftCriterion {
    static final String NAME = "prediction_drift";
    private static final String TEST = "two-sample Kolmogorov-Smirnov";
    private static final int MAX_SAMPLES = 20_000;

    private PredictionDriftCriterion() {}

    static Criterion judge(VariantWindow stable, VariantWindow candidate, JudgePolicy policy) {
        String limit = "KS distance ≤ " + policy.maxPredictionDrift();
        double[] s = Samples.bounded(stable.predictions(), MAX_SAMPLES);
        double[] c = Samples.bounded(candidate.predictions(), MAX_SAMPLES);
        if (s.length == 0 && c.length == 0) {
            return new Criterion(NAME, TEST, null, null, null, null, null, null, limit, Verdict.NOT_MEASURED,
                    "This backend records no predictions; the distributions were not compared.");
        }
        long needed = Math.min(policy.minRequests(), 30);
        if (s.length < needed || c.length < needed) {
            return Criterion.inconclusive(NAME, TEST, limit, String.format(Locale.ROOT,
                    "Too few predictions to compare: stable %d, candidate %d, %d each needed.", s.length, c.length, needed));
        }
        // Asymptotic p-values: the exact ones cost O(n·m) and predictions of classifiers tie heavily.
        KolmogorovSmirnovTest.TwoResult ks = KolmogorovSmirnovTest.withDefaults()
                .with(PValueMethod.ASYMPTOTIC).test(c, s);
        double distance = ks.getStatistic();
        boolean fails = distance > policy.maxPredictionDrift() && ks.getPValue() < policy.alpha();
        return new Criterion(NAME, TEST, Samples.mean(s), Samples.mean(c), distance, null, null, ks.getPValue(), limit,
                fails ? Verdict.FAIL : Verdict.PASS,
                fails ? String.format(Locale.ROOT, "The candidate's predictions differ from stable's (KS distance %.3f).", distance)
                        : "The prediction distributions agree within the limit.");
    }
}
