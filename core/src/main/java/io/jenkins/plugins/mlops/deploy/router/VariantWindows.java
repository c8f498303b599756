package io.jenkins.plugins.mlops.deploy.router;

import io.jenkins.plugins.mlops.deploy.VariantWindow;
import io.jenkins.plugins.mlops.deploy.payload.Predictions;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recent exchanges of each variant, in memory and bounded, so that a rollout's judge reads
 * counts, latencies and predictions of any recent interval without the prediction log.
 */
final class VariantWindows {
    /** {@code predictions} is a double[] already parsed, or the raw response body (byte[]) to parse on demand, or null. */
    private record Observation(long atMillis, double latencyMs, boolean failed, Object predictions) {
        double[] values() {
            if (predictions instanceof double[] parsed) {
                return parsed;
            }
            return predictions instanceof byte[] body ? Predictions.numericPredictions(body) : NONE;
        }
    }

    private static final double[] NONE = new double[0];


    private final int perVariant;
    private final Map<String, ArrayDeque<Observation>> byVariant = new ConcurrentHashMap<>();

    VariantWindows(int perVariant) {
        this.perVariant = perVariant;
    }

    void record(Exchange exchange, Object predictions) {
        ArrayDeque<Observation> observations = byVariant.computeIfAbsent(exchange.variant(), v -> new ArrayDeque<>());
        synchronized (observations) {
            if (observations.size() == perVariant) {
                observations.removeFirst();
            }
            observations.addLast(new Observation(exchange.receivedAt(), exchange.latencyMs(), exchange.failed(), predictions));
        }
    }

    VariantWindow observe(String variant, Instant from, Instant to) {
        long start = from.toEpochMilli();
        long end = to.toEpochMilli();
        ArrayDeque<Observation> observations = byVariant.get(variant);
        if (observations == null) {
            return new VariantWindow(variant, from, to, 0, 0, new double[0], new double[0]);
        }
        long requests = 0;
        long errors = 0;
        double[] latencies = new double[64];
        double[] predictions = new double[64];
        int predictionCount = 0;
        synchronized (observations) {
            for (Observation o : observations) {
                if (o.atMillis() < start || o.atMillis() >= end) {
                    continue;
                }
                if (requests == latencies.length) {
                    latencies = Arrays.copyOf(latencies, latencies.length * 2);
                }
                latencies[(int) requests++] = o.latencyMs();
                if (o.failed()) {
                    errors++;
                }
                for (double p : o.values()) {
                    if (predictionCount == predictions.length) {
                        predictions = Arrays.copyOf(predictions, predictions.length * 2);
                    }
                    predictions[predictionCount++] = p;
                }
            }
        }
        return new VariantWindow(variant, from, to, requests, errors, Arrays.copyOf(latencies, (int) requests),
                Arrays.copyOf(predictions, predictionCount));
    }
}
