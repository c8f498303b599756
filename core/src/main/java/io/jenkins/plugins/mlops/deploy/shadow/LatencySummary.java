package io.jenkins.plugins.mlops.deploy.shadow;

import java.io.Serializable;
import java.util.Arrays;

/** Latency of one side in milliseconds: count, mean and the percentiles people read. */
public record LatencySummary(int count, double meanMs, double p50Ms, double p95Ms, double p99Ms, double maxMs)
        implements Serializable {

    public static LatencySummary of(double[] latencies) {
        if (latencies.length == 0) {
            return new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return new LatencySummary(sorted.length, Arrays.stream(sorted).average().orElse(Double.NaN), quantile(sorted, 0.50),
                quantile(sorted, 0.95), quantile(sorted, 0.99), sorted[sorted.length - 1]);
    }

    /** Nearest-rank quantile of sorted values. */
    static double quantile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
