package io.jenkins.plugins.mlops.deploy.rollout;

import io.jenkins.plugins.mlops.deploy.VariantWindow;
import java.io.Serializable;
import java.util.Arrays;

/** What one arm served in a judged window, as the report shows it (the samples themselves stay out of the JSON). */
public record ArmSummary(String variant, long requests, long errors, Double errorRate, Double latencyP50Ms,
                         Double latencyP99Ms, int predictions, Double predictionMean) implements Serializable {

    public static ArmSummary of(VariantWindow w) {
        double[] latencies = Arrays.stream(w.latenciesMs()).filter(Double::isFinite).sorted().toArray();
        double[] predictions = Arrays.stream(w.predictions()).filter(Double::isFinite).toArray();
        return new ArmSummary(w.variant(), w.requests(), w.errors(), w.requests() == 0 ? null : w.errorRate(),
                quantile(latencies, 0.5), quantile(latencies, 0.99), predictions.length,
                predictions.length == 0 ? null : Arrays.stream(predictions).average().orElseThrow());
    }

    private static Double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return null;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
