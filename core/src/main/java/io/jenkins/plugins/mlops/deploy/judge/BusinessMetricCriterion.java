package io.jenkins.plugins.mlops.deploy.judge;

import java.util.Arrays;
import java.util.Locale;

/**
 * A business metric, one value per unit (request, user, scrape) and arm: the difference of means
 * with Welch's interval; the candidate fails when the interval lies wholly on the bad side.
 */
final class BusinessMetricCriterion {
    private static final String TEST = "difference of means, Welch interval";

    private BusinessMetricCriterion() {}

    static Criterion judge(BusinessMetric metric, double[] stable, double[] candidate, JudgePolicy policy) {
        String limit = switch (metric.direction()) {
            case HIGHER -> "not significantly lower";
            case LOWER -> "not significantly higher";
            case EITHER -> "no significant change";
        };
        double[] s = Arrays.stream(stable).filter(Double::isFinite).toArray();
        double[] c = Arrays.stream(candidate).filter(Double::isFinite).toArray();
        if (s.length < policy.minMetricSamples() || c.length < policy.minMetricSamples()) {
            return Criterion.inconclusive(metric.name(), TEST, limit, String.format(Locale.ROOT,
                    "Too few values to judge: stable %d, candidate %d, %d each needed.",
                    s.length, c.length, policy.minMetricSamples()));
        }
        MeanDifference d = MeanDifference.of(s, c, policy.confidence());
        boolean fails = switch (metric.direction()) {
            case HIGHER -> d.high() < 0;
            case LOWER -> d.low() > 0;
            case EITHER -> d.low() > 0 || d.high() < 0;
        };
        return new Criterion(metric.name(), TEST, d.meanA(), d.meanB(), d.difference(), d.low(), d.high(), d.pValue(),
                limit, fails ? Verdict.FAIL : Verdict.PASS,
                fails ? String.format(Locale.ROOT, "The candidate moves %s the wrong way: %+.4g [%.4g, %.4g].",
                        metric.name(), d.difference(), d.low(), d.high())
                        : "No significant change the wrong way.");
    }
}
