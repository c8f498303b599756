package io.jenkins.plugins.mlops.deploy.judge;

import java.util.Locale;

/** Which way a business metric may not move: the candidate fails when its interval lies wholly on the bad side. */
public enum MetricDirection {
    /** Higher is better (conversion, revenue): fails when significantly lower. */
    HIGHER,
    /** Lower is better (churn, refunds): fails when significantly higher. */
    LOWER,
    /** Any significant change fails (the default: a metric with no stated direction must not move). */
    EITHER;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
