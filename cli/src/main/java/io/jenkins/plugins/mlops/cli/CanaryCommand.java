package io.jenkins.plugins.mlops.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jenkins.plugins.mlops.deploy.EmbeddedTrafficBackend;
import io.jenkins.plugins.mlops.deploy.TrafficBackend;
import io.jenkins.plugins.mlops.deploy.istio.IstioTrafficBackend;
import io.jenkins.plugins.mlops.deploy.judge.BusinessMetric;
import io.jenkins.plugins.mlops.deploy.judge.JudgePolicy;
import io.jenkins.plugins.mlops.deploy.kserve.KServeTrafficBackend;
import io.jenkins.plugins.mlops.deploy.metrics.MetricSources;
import io.jenkins.plugins.mlops.deploy.prometheus.PrometheusClient;
import io.jenkins.plugins.mlops.deploy.prometheus.PrometheusQueries;
import io.jenkins.plugins.mlops.deploy.prometheus.PrometheusWindows;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryConfig;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryPanels;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryResult;
import io.jenkins.plugins.mlops.deploy.rollout.RolloutController;
import io.jenkins.plugins.mlops.deploy.rollout.Sleeper;
import io.jenkins.plugins.mlops.deploy.router.Router;
import io.jenkins.plugins.mlops.deploy.router.RouterConfig;
import io.jenkins.plugins.mlops.deploy.traffic.PacedReplay;
import io.jenkins.plugins.mlops.io.BadInputException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mlops canary}: shift traffic to the candidate step by step, judge it against stable at each, promote or roll back. */
@Command(
        name = "canary",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Roll a candidate model out in steps (5%% → 25%% → 50%% → 100%%). At every look, candidate and stable are "
                    + "judged over the same interval: error rate (two-proportion test), latency (Mann-Whitney U, "
                    + "Hodges-Lehmann shift), prediction distribution (Kolmogorov-Smirnov) and business metrics.",
            "A failing candidate gets 0%% at the first look that sees it; a step without enough data after "
                    + "--step-duration plus --max-wait fails closed. Run again with the same --state to resume."
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  promoted: the candidate takes all traffic",
            "  1  rolled back: all traffic is back on stable",
            "  2  bad input or usage",
            "  3  the router, the cluster, Prometheus or the log database failed",
            "",
            "Example:",
            "  mlops canary --stable http://127.0.0.1:5001 --candidate http://127.0.0.1:5002 \\",
            "    --listen 127.0.0.1:8080 --steps 5,25,50,100 --step-duration 2m --max-error-rate 0.01 \\",
            "    --metric 'converted:higher=SELECT f.outcome FROM mlops_predictions p JOIN mlops_feedback f "
                    + "USING (request_id) WHERE p.variant = :variant AND p.received_at >= :from AND p.received_at < :to' \\",
            "    --report reports/canary"
        })
public final class CanaryCommand extends StepCommand<CanaryResult> {
    enum Backend { embedded, istio, kserve }

    @Option(names = "--backend", paramLabel = "KIND", defaultValue = "embedded",
            description = "embedded (the router, default), istio (VirtualService weights) or kserve (canaryTrafficPercent).")
    Backend backend;

    @Option(names = "--stable", paramLabel = "URL", description = "embedded: the current model server.")
    URI stable;

    @Option(names = "--candidate", paramLabel = "URL", description = "embedded: the model server being rolled out.")
    URI candidate;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
            description = "embedded: where the router listens (default ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--state", paramLabel = "FILE",
            description = "embedded: the router's weights persist here; a rollout started again resumes at them.")
    Path state;

    @Mixin
    PredictionLogOptions log;

    @Option(names = "--steps", paramLabel = "P,P,...", split = ",", defaultValue = "5,25,50,100",
            description = "The candidate's weights in percent (default ${DEFAULT-VALUE}); 100 is the promotion.")
    List<Integer> steps;

    @Option(names = "--step-duration", paramLabel = "D", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long each weight is held before it may advance (default ${DEFAULT-VALUE}).")
    Duration stepDuration;

    @Option(names = "--interval", paramLabel = "D", converter = DurationConverter.class,
            description = "How often the judge looks within a step; a failing candidate is rolled back within one "
                    + "(default: a quarter of --step-duration, at least 1s).")
    Duration interval;

    @Option(names = "--max-wait", paramLabel = "D", converter = DurationConverter.class,
            description = "How much longer a step waits for --min-requests; then it fails closed (default: --step-duration).")
    Duration maxWait;

    @Option(names = "--min-requests", paramLabel = "N", defaultValue = "100",
            description = "Requests each arm must serve in a step before it is judged (default ${DEFAULT-VALUE}).")
    long minRequests;

    @Option(names = "--max-error-rate", paramLabel = "F", defaultValue = "0.01",
            description = "The candidate's error rate (5xx, refused, timed out) may not exceed this (default ${DEFAULT-VALUE}).")
    double maxErrorRate;

    @Option(names = "--max-latency-ratio", paramLabel = "R", defaultValue = "1.2",
            description = "Stable's median latency shifted by the Hodges-Lehmann estimate, over stable's median "
                    + "(default ${DEFAULT-VALUE}); fails only when the slowdown is also significant.")
    double maxLatencyRatio;

    @Option(names = "--max-prediction-drift", paramLabel = "D", defaultValue = "0.2",
            description = "Kolmogorov-Smirnov distance between the arms' predictions (default ${DEFAULT-VALUE}).")
    double maxPredictionDrift;

    @Option(names = "--confidence", paramLabel = "LEVEL", defaultValue = "0.95",
            description = "Confidence level of every test (default ${DEFAULT-VALUE}).")
    double confidence;

    @Option(names = "--min-metric-samples", paramLabel = "N", defaultValue = "30",
            description = "Values each arm needs before a business metric is judged (default ${DEFAULT-VALUE}).")
    int minMetricSamples;

    @Option(names = "--metric", paramLabel = "NAME[:higher|lower|either]=QUERY",
            description = "A business metric (repeatable): SQL over the prediction log returning one value per unit "
                    + "of the arm, with :variant, :from and :to bound; or PromQL with $variant. See docs/canary.md.")
    List<String> metrics = new ArrayList<>();

    @Mixin
    MetricOptions metricOptions;

    @Option(names = "--prometheus", paramLabel = "URL",
            description = "Prometheus' base URL: istio and kserve read their windows there; PromQL metrics too.")
    URI prometheus;

    @Option(names = "--prometheus-step", paramLabel = "D", defaultValue = "15s", converter = DurationConverter.class,
            description = "Resolution of latency and PromQL samples, ideally the scrape interval (default ${DEFAULT-VALUE}).")
    Duration prometheusStep;

    @Option(names = "--namespace", paramLabel = "NS", defaultValue = "default",
            description = "istio, kserve: the namespace of the resource (default ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--virtual-service", paramLabel = "NAME", description = "istio: the VirtualService whose route weights move.")
    String virtualService;

    @Option(names = "--host", paramLabel = "HOST", description = "istio: the routes' destination host (default: the VirtualService's name).")
    String host;

    @Option(names = "--stable-subset", paramLabel = "NAME", defaultValue = "stable",
            description = "istio: the DestinationRule subset (and version label) of stable (default ${DEFAULT-VALUE}).")
    String stableSubset;

    @Option(names = "--candidate-subset", paramLabel = "NAME", defaultValue = "candidate",
            description = "istio: the subset of the candidate (default ${DEFAULT-VALUE}).")
    String candidateSubset;

    @Option(names = "--inference-service", paramLabel = "NAME",
            description = "kserve: the InferenceService whose canaryTrafficPercent moves (its new model already applied).")
    String inferenceService;

    @Mixin
    TrafficOptions traffic;

    @Override
    protected CanaryResult runStep() {
        List<BusinessMetric> parsed = metrics.stream().map(m -> BusinessMetric.parse(m, "--metric")).toList();
        Duration look = interval != null ? interval
                : Duration.ofMillis(Math.max(1000, stepDuration.toMillis() / 4));
        CanaryConfig config = new CanaryConfig(steps, stepDuration, look, maxWait == null ? stepDuration : maxWait,
                new JudgePolicy(minRequests, maxErrorRate, maxLatencyRatio, maxPredictionDrift, minMetricSamples, 1 - confidence),
                parsed);
        PrometheusWindows windows = prometheus == null ? null : windows(backend == Backend.kserve
                ? PrometheusQueries.knative(namespace) : PrometheusQueries.istio(namespace, virtualServiceHost()));
        if (backend == Backend.embedded) {
            require(stable, "--stable");
            require(candidate, "--candidate");
            return runEmbedded(config, metricOptions.sources(log, true, windows, UnaryOperator.identity(), parsed, this::warn));
        }
        if (windows == null) {
            throw new BadInputException("--backend " + backend + " reads its metrics from Prometheus: give --prometheus URL");
        }
        UnaryOperator<String> labels = backend == Backend.istio
                ? v -> v.equals(TrafficBackend.STABLE) ? stableSubset : candidateSubset : UnaryOperator.identity();
        MetricSources sources = metricOptions.sources(log, false, windows, labels, parsed, this::warn);
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            TrafficBackend target = backend == Backend.istio
                    ? new IstioTrafficBackend(client, namespace, require(virtualService, "--virtual-service"),
                            virtualServiceHost(), stableSubset, candidateSubset, windows)
                    : new KServeTrafficBackend(client, namespace, require(inferenceService, "--inference-service"), windows);
            return rollout(target, config, sources);
        }
    }

    private CanaryResult runEmbedded(CanaryConfig config, MetricSources sources) {
        RouterConfig routerConfig = RouterConfig.builder().listen(listen)
                .variant(TrafficBackend.STABLE, stable).variant(TrafficBackend.CANDIDATE, candidate)
                .weight(TrafficBackend.STABLE, 100).weight(TrafficBackend.CANDIDATE, 0)
                .log(log.jdbcUrl()).payloadMode(log.payload).stateFile(state).build();
        try (EmbeddedTrafficBackend target = new EmbeddedTrafficBackend(
                Router.start(routerConfig, PredictionLogOptions.credentials(System.getenv())))) {
            progress("Router listening on " + target.router().uri());
            try (PacedReplay replay = traffic.start(target.router().uri())) {
                CanaryResult result = rollout(target, config, sources);
                if (replay != null) {
                    PacedReplay.Stats seen = replay.stats();
                    progress("Replay: " + seen.sent() + " answered, " + seen.serverErrors() + " 5xx, " + seen.failed()
                            + " without an answer, " + seen.skipped() + " skipped (too many in flight)");
                }
                return result;
            }
        }
    }

    private CanaryResult rollout(TrafficBackend target, CanaryConfig config, MetricSources sources) {
        progress("Canary on " + target.describe() + ": steps " + config.steps());
        return new RolloutController(target, sources, Clock.systemUTC(), Sleeper.REAL, this::progress).run(config);
    }

    private PrometheusWindows windows(PrometheusQueries queries) {
        return new PrometheusWindows(new PrometheusClient(prometheus, Duration.ofSeconds(10), 16L << 20), queries, prometheusStep);
    }

    private String virtualServiceHost() {
        return host != null ? host : virtualService;
    }

    private static <T> T require(T value, String option) {
        if (value == null) {
            throw new BadInputException("missing " + option);
        }
        return value;
    }

    @Override
    protected String reportName() {
        return "canary";
    }

    @Override
    protected String reportTitle() {
        return "Canary rollout";
    }

    @Override
    protected List<String> reportPanels(CanaryResult result) {
        return CanaryPanels.panels(result);
    }
}
