package io.jenkins.plugins.mlops.deploy.rollout;

import io.jenkins.plugins.mlops.deploy.judge.BusinessMetric;
import java.time.Instant;

/** Reads a business metric's values for one variant over one interval (SQL on the log, or PromQL). */
@FunctionalInterface
public interface MetricReader {
    double[] values(BusinessMetric metric, String variant, Instant from, Instant to);

    /** For rollouts without business metrics. */
    MetricReader NONE = (metric, variant, from, to) -> {
        throw new IllegalStateException("no metric source configured for " + metric.name());
    };
}
