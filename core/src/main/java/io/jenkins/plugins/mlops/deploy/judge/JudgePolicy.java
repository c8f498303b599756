package io.jenkins.plugins.mlops.deploy.judge;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;

/**
 * What the candidate must show, per step, against stable over the same interval.
 *
 * @param minRequests requests each arm must have served before anything is judged
 * @param maxErrorRate the candidate's error rate may not exceed this (0..1)
 * @param maxLatencyRatio the candidate's latency, shifted by the Hodges-Lehmann estimate, over stable's median
 * @param maxPredictionDrift Kolmogorov-Smirnov distance of the prediction distributions (0..1)
 * @param minMetricSamples values each arm needs before a business metric is judged
 * @param alpha significance level of every test (0.05: 95% confidence)
 */
public record JudgePolicy(
        long minRequests, double maxErrorRate, double maxLatencyRatio, double maxPredictionDrift,
        int minMetricSamples, double alpha)
        implements Serializable {

    /** Latency samples each arm needs; a Prometheus backend has one per scrape, so this is small. */
    public static final int MIN_LATENCY_SAMPLES = 5;

    public JudgePolicy {
        require(minRequests >= 1, "--min-requests must be at least 1, got " + minRequests);
        require(maxErrorRate >= 0 && maxErrorRate <= 1, "--max-error-rate must be within 0..1, got " + maxErrorRate);
        require(maxLatencyRatio >= 1, "--max-latency-ratio must be at least 1, got " + maxLatencyRatio);
        require(maxPredictionDrift > 0 && maxPredictionDrift <= 1,
                "--max-prediction-drift must be within (0, 1], got " + maxPredictionDrift);
        require(minMetricSamples >= 2, "the minimum metric sample must be at least 2, got " + minMetricSamples);
        require(alpha > 0 && alpha < 0.5, "alpha must be within (0, 0.5), got " + alpha);
    }

    public static JudgePolicy defaults() {
        return new JudgePolicy(100, 0.01, 1.2, 0.2, 30, 0.05);
    }

    public double confidence() {
        return 1 - alpha;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new BadInputException(message);
        }
    }
}
