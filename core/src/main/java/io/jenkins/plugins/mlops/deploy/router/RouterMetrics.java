package io.jenkins.plugins.mlops.deploy.router;

import io.jenkins.plugins.mlops.deploy.log.PredictionLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The router's Prometheus metrics, per variant: {@code mlops_router_requests_total{variant,status}}
 * (status 2xx..5xx, or {@code error} when no answer came), the latency histogram
 * {@code mlops_router_request_duration_seconds}, the weights {@code mlops_router_weight_percent},
 * the mirror's {@code mlops_router_mirror_total{outcome}} and the prediction log's
 * {@code mlops_prediction_log_rows_total{outcome}}.
 */
final class RouterMetrics {
    private static final String[] CLASSES = {"error", "1xx", "2xx", "3xx", "4xx", "5xx"};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Map<String, Counter[]> requests = new ConcurrentHashMap<>();
    private final Counter mirrorSent;
    private final Counter mirrorFailed;
    private final Counter mirrorDropped;

    RouterMetrics(Iterable<String> variants, Supplier<Weights> weights) {
        for (String variant : variants) {
            Gauge.builder("mlops.router.weight", () -> weights.get().of(variant)).baseUnit("percent")
                    .description("Share of traffic routed to the variant").tag("variant", variant).register(registry);
            meters(variant);
        }
        mirrorSent = mirror("sent");
        mirrorFailed = mirror("failed");
        mirrorDropped = mirror("dropped");
    }

    void served(String variant, int status, long nanos) {
        Counter[] counters = requests.get(variant);
        if (counters == null) {
            counters = meters(variant);
        }
        counters[status == 0 ? 0 : Math.min(5, Math.max(1, status / 100))].increment();
        latency.get(variant).record(nanos, TimeUnit.NANOSECONDS);
    }

    void mirrorSent() {
        mirrorSent.increment();
    }

    void mirrorFailed() {
        mirrorFailed.increment();
    }

    void mirrorDropped() {
        mirrorDropped.increment();
    }

    void watch(PredictionLog log) {
        FunctionCounter.builder("mlops.prediction.log.rows", log, l -> l.stats().written())
                .description("Prediction log rows by outcome").tag("outcome", "written").register(registry);
        FunctionCounter.builder("mlops.prediction.log.rows", log, l -> l.stats().rejected())
                .description("Prediction log rows by outcome").tag("outcome", "rejected").register(registry);
        FunctionCounter.builder("mlops.prediction.log.failed.writes", log, l -> l.stats().failedWrites())
                .description("Batch writes that failed and were retried").register(registry);
    }

    void watchUnrecorded(Supplier<Long> unrecorded) {
        FunctionCounter.builder("mlops.router.unrecorded", unrecorded, u -> u.get())
                .description("Exchanges served but not recorded because the recorder was behind").register(registry);
    }

    String scrape() {
        return registry.scrape();
    }

    private synchronized Counter[] meters(String variant) {
        Counter[] existing = requests.get(variant);
        if (existing != null) {
            return existing;
        }
        Counter[] counters = new Counter[CLASSES.length];
        for (int i = 0; i < CLASSES.length; i++) {
            counters[i] = Counter.builder("mlops.router.requests").description("Requests answered, by variant and status class")
                    .tag("variant", variant).tag("status", CLASSES[i]).register(registry);
        }
        latency.put(variant, Timer.builder("mlops.router.request.duration")
                .description("Time from receiving a request to having the variant's whole answer")
                .tag("variant", variant).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60)).register(registry));
        requests.put(variant, counters);
        return counters;
    }

    private Counter mirror(String outcome) {
        return Counter.builder("mlops.router.mirror").description("Mirrored copies by outcome")
                .tag("outcome", outcome).register(registry);
    }
}
