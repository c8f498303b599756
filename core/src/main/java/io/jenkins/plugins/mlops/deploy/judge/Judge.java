package io.jenkins.plugins.mlops.deploy.judge;

import io.jenkins.plugins.mlops.deploy.VariantWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Judges the candidate against stable over one interval: errors, latency, predictions and the
 * business metrics. Both windows must cover the same interval, so that whatever the traffic did
 * then hit both arms.
 */
public final class Judge {
    private final JudgePolicy policy;

    public Judge(JudgePolicy policy) {
        this.policy = policy;
    }

    /**
     * @param metrics each business metric's values for stable and for the candidate
     */
    public Judgement judge(VariantWindow stable, VariantWindow candidate, Map<BusinessMetric, MetricValues> metrics) {
        if (!stable.from().equals(candidate.from()) || !stable.to().equals(candidate.to())) {
            throw new IllegalArgumentException("stable and candidate must be judged over the same interval");
        }
        List<Criterion> criteria = new ArrayList<>();
        Criterion errors = ErrorRateCriterion.judge(stable, candidate, policy);
        criteria.add(errors);
        if (errors.verdict() == Verdict.FAIL && candidate.requests() < policy.minRequests()) {
            // An early stop: the rest would only say "too few requests".
            return new Judgement(criteria, Verdict.FAIL);
        }
        criteria.add(LatencyCriterion.judge(stable, candidate, policy));
        criteria.add(PredictionDriftCriterion.judge(stable, candidate, policy));
        metrics.forEach((metric, values) ->
                criteria.add(BusinessMetricCriterion.judge(metric, values.stable(), values.candidate(), policy)));
        return new Judgement(criteria, Verdict.combine(criteria));
    }

    /** A business metric's values per arm over the judged interval. */
    public record MetricValues(double[] stable, double[] candidate) {}
}
