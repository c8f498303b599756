package io.jenkins.plugins.mlops.deploy.prometheus;

import java.io.Serializable;

/**
 * The PromQL a backend reads one variant's window with. {@code $variant} becomes the variant's
 * label value, {@code $range} the window's length (e.g. {@code 60s}) and {@code $rate} the rate
 * window of the latency samples: four steps, so that each covers four scrapes when the step is the
 * scrape interval, as Prometheus advises for {@code rate()}.
 *
 * @param requests requests in the window, an instant query at its end: e.g. {@code sum(increase(...[$range]))}
 * @param errors 5xx answers in the window, same shape
 * @param latencyMs a latency in milliseconds over {@code $rate}, evaluated every step: its values are the latency samples
 */
public record PrometheusQueries(String requests, String errors, String latencyMs) implements Serializable {

    /** Istio's standard metrics, as reported by the destination's sidecar, for one service's subsets. */
    public static PrometheusQueries istio(String namespace, String service) {
        String selector = "reporter=\"destination\",destination_service_namespace=\"" + namespace
                + "\",destination_service_name=\"" + service + "\",destination_version=\"$variant\"";
        return new PrometheusQueries(
                "sum(increase(istio_requests_total{" + selector + "}[$range]))",
                "sum(increase(istio_requests_total{" + selector + ",response_code=~\"5..\"}[$range]))",
                "sum(rate(istio_request_duration_milliseconds_sum{" + selector + "}[$rate]))"
                        + " / sum(rate(istio_request_duration_milliseconds_count{" + selector + "}[$rate]))");
    }

    /** The embedded router's own metrics ({@code /metrics}), for dashboards and PromQL metrics beside it. */
    public static PrometheusQueries embeddedRouter() {
        String selector = "variant=\"$variant\"";
        return new PrometheusQueries(
                "sum(increase(mlops_router_requests_total{" + selector + "}[$range]))",
                "sum(increase(mlops_router_requests_total{" + selector + ",status=~\"5xx|error\"}[$range]))",
                "1000 * sum(rate(mlops_router_request_duration_seconds_sum{" + selector + "}[$rate]))"
                        + " / sum(rate(mlops_router_request_duration_seconds_count{" + selector + "}[$rate]))");
    }

    /** Knative's queue-proxy metrics for one revision of a KServe predictor (serverless mode). */
    public static PrometheusQueries knative(String namespace) {
        String selector = "namespace_name=\"" + namespace + "\",revision_name=\"$variant\"";
        return new PrometheusQueries(
                "sum(increase(revision_request_count{" + selector + "}[$range]))",
                "sum(increase(revision_request_count{" + selector + ",response_code_class=\"5xx\"}[$range]))",
                "sum(rate(revision_request_latencies_sum{" + selector + "}[$rate]))"
                        + " / sum(rate(revision_request_latencies_count{" + selector + "}[$rate]))");
    }

    static String bind(String template, String variant, long rangeSeconds, long stepSeconds) {
        return template.replace("$variant", variant).replace("$range", rangeSeconds + "s")
                .replace("$rate", 4 * stepSeconds + "s");
    }
}
