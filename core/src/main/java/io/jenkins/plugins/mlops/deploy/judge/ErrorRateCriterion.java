package io.jenkins.plugins.mlops.deploy.judge;

import io.jenkins.plugins.mlops.deploy.VariantWindow;
import java.util.Locale;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Errors: the candidate's rate against the limit, and against stable's by a one-sided
 * two-proportion z-test (pooled), so a traffic spike that fails both arms is not blamed on the
 * candidate: then the step holds.
 */
final class ErrorRateCriterion {
    static final String NAME = "error_rate";
    private static final String TEST = "two-proportion z-test, one-sided";
    private static final NormalDistribution NORMAL = NormalDistribution.of(0, 1);

    private ErrorRateCriterion() {}

    static Criterion judge(VariantWindow stable, VariantWindow candidate, JudgePolicy policy) {
        String limit = "≤ " + percent(policy.maxErrorRate());
        // Already lost: even if every request up to the minimum succeeded, the rate would exceed the limit.
        if (candidate.errors() > policy.maxErrorRate() * policy.minRequests() && candidate.requests() < policy.minRequests()) {
            return new Criterion(NAME, "early stop", stable.requests() == 0 ? null : stable.errorRate(),
                    candidate.errorRate(), null, null, null, null, limit, Verdict.FAIL,
                    String.format(Locale.ROOT, "The candidate failed %d of %d requests: above the limit whatever the next %d do.",
                            candidate.errors(), candidate.requests(), policy.minRequests() - candidate.requests()));
        }
        if (candidate.requests() < policy.minRequests() || stable.requests() < policy.minRequests()) {
            return Criterion.inconclusive(NAME, TEST, limit, String.format(Locale.ROOT,
                    "Too few requests to judge: stable %d, candidate %d, %d each needed.",
                    stable.requests(), candidate.requests(), policy.minRequests()));
        }
        double p = oneSidedPValue(candidate.errors(), candidate.requests(), stable.errors(), stable.requests());
        boolean significantlyWorse = p < policy.alpha();
        boolean overLimit = candidate.errorRate() > policy.maxErrorRate();
        boolean stableOverLimit = stable.errorRate() > policy.maxErrorRate();
        Verdict verdict;
        String message;
        if (overLimit && stableOverLimit && !significantlyWorse) {
            verdict = Verdict.INCONCLUSIVE;
            message = "Both arms fail above the limit and the candidate not significantly more: the trouble is not the candidate's.";
        } else if (overLimit || significantlyWorse) {
            verdict = Verdict.FAIL;
            message = overLimit ? "The candidate's error rate is above the limit."
                    : "The candidate fails significantly more often than stable.";
        } else {
            verdict = Verdict.PASS;
            message = "The candidate's error rate is within the limit and not significantly above stable's.";
        }
        return new Criterion(NAME, TEST, stable.errorRate(), candidate.errorRate(),
                candidate.errorRate() - stable.errorRate(), null, null, p, limit, verdict, message);
    }

    /** P(candidate's rate is this much above stable's by chance), pooled standard error. */
    static double oneSidedPValue(long candidateErrors, long candidateN, long stableErrors, long stableN) {
        double p1 = (double) candidateErrors / candidateN;
        double p2 = (double) stableErrors / stableN;
        double pooled = (double) (candidateErrors + stableErrors) / (candidateN + stableN);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / candidateN + 1.0 / stableN));
        if (se == 0) {
            return p1 > p2 ? 0 : 1;
        }
        return NORMAL.survivalProbability((p1 - p2) / se);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", fraction * 100);
    }
}
