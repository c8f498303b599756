package io.jenkins.plugins.mlops.deploy.prometheus;

import io.jenkins.plugins.mlops.deploy.VariantWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A variant's window from Prometheus: request and error counts by {@code increase()} over the
 * window, and as latency samples the per-step values of the latency query, as Kayenta does with
 * aggregates. Predictions are not in Prometheus; the window has none.
 */
public final class PrometheusWindows {
    private final PrometheusClient client;
    private final PrometheusQueries queries;
    private final Duration step;

    public PrometheusWindows(PrometheusClient client, PrometheusQueries queries, Duration step) {
        this.client = client;
        this.queries = queries;
        this.step = step;
    }

    /**
     * @param variant the name the caller judges (stable, candidate)
     * @param label the variant's label value in the metrics (a subset's version, a revision's name)
     */
    public VariantWindow observe(String variant, String label, Instant from, Instant to) {
        long range = Math.max(1, Duration.between(from, to).toSeconds());
        long stepSeconds = Math.max(1, step.toSeconds());
        long requests = Math.round(sum(client.query(PrometheusQueries.bind(queries.requests(), label, range, stepSeconds), to)));
        long errors = Math.round(sum(client.query(PrometheusQueries.bind(queries.errors(), label, range, stepSeconds), to)));
        double[] latencies = client.queryRange(PrometheusQueries.bind(queries.latencyMs(), label, range, stepSeconds),
                        rangeStart(from, to), to, step).stream()
                .flatMapToDouble(s -> Arrays.stream(s.values())).filter(Double::isFinite).toArray();
        return new VariantWindow(variant, from, to, requests, Math.min(errors, requests), latencies, new double[0]);
    }

    /** A PromQL business metric's values over the window, one per step (every series). */
    public double[] metric(String promql, String label, Instant from, Instant to) {
        long range = Math.max(1, Duration.between(from, to).toSeconds());
        long stepSeconds = Math.max(1, step.toSeconds());
        return client.queryRange(PrometheusQueries.bind(promql, label, range, stepSeconds), rangeStart(from, to), to, step).stream()
                .flatMapToDouble(s -> Arrays.stream(s.values())).filter(Double::isFinite).toArray();
    }

    /** The first latency sample needs a whole step of data; a window shorter than that has one sample, at its end. */
    private Instant rangeStart(Instant from, Instant to) {
        Instant start = from.plus(step);
        return start.isAfter(to) ? to : start;
    }

    private static double sum(List<PrometheusClient.Series> series) {
        return series.stream().flatMapToDouble(s -> Arrays.stream(s.values())).filter(Double::isFinite).sum();
    }
}
