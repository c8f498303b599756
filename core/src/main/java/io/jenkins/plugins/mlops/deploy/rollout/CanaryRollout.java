package io.jenkins.plugins.mlops.deploy.rollout;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jenkins.plugins.mlops.deploy.EmbeddedTrafficBackend;
import io.jenkins.plugins.mlops.deploy.RemoteTrafficBackend;
import io.jenkins.plugins.mlops.deploy.TrafficBackend;
import io.jenkins.plugins.mlops.deploy.istio.IstioTrafficBackend;
import io.jenkins.plugins.mlops.deploy.kserve.KServeTrafficBackend;
import io.jenkins.plugins.mlops.deploy.log.LogUrl;
import io.jenkins.plugins.mlops.deploy.metrics.MetricSources;
import io.jenkins.plugins.mlops.deploy.metrics.SqlMetricReader;
import io.jenkins.plugins.mlops.deploy.prometheus.PrometheusClient;
import io.jenkins.plugins.mlops.deploy.prometheus.PrometheusQueries;
import io.jenkins.plugins.mlops.deploy.prometheus.PrometheusWindows;
import io.jenkins.plugins.mlops.deploy.router.Router;
import io.jenkins.plugins.mlops.deploy.router.RouterClient;
import io.jenkins.plugins.mlops.deploy.router.RouterConfig;
import io.jenkins.plugins.mlops.deploy.traffic.PacedReplay;
import io.jenkins.plugins.mlops.deploy.traffic.RequestBodies;
import io.jenkins.plugins.mlops.io.BadInputException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * {@code canaryRollout}, the one entry point of {@code mlops canary}, the pipeline's {@code canary}
 * stage and the Jenkins step: checks what the parameters alone cannot (a backend's required
 * parameters, the log, the metrics against the log) before any traffic moves, then shifts traffic
 * through the embedded router, an Istio VirtualService or a KServe InferenceService.
 */
public final class CanaryRollout {
    /** At most 64 replayed requests in flight, 30 s each; metric queries return at most a million rows. */
    private static final int REPLAY_IN_FLIGHT = 64;
    private static final Duration REPLAY_TIMEOUT = Duration.ofSeconds(30);
    private static final int METRIC_MAX_ROWS = 1_000_000;
    private static final Duration PROMETHEUS_DEADLINE = Duration.ofSeconds(10);
    private static final long PROMETHEUS_MAX_BYTES = 16L << 20;

    private final Properties logCredentials;
    private final Properties metricCredentials;
    private final Consumer<String> progress;
    private final Consumer<String> warnings;
    private final String routerToken;

    /** As {@link #CanaryRollout(Properties, Properties, Consumer, Consumer, String)}, for a rollout without a running router. */
    public CanaryRollout(Properties logCredentials, Properties metricCredentials, Consumer<String> progress,
            Consumer<String> warnings) {
        this(logCredentials, metricCredentials, progress, warnings, null);
    }

    /**
     * @param logCredentials the log writer's login ({@code MLOPS_LOG_USER}/{@code MLOPS_LOG_PASSWORD})
     * @param metricCredentials the business metrics' login, a role that can only read the log
     * @param progress where the rollout's progress goes
     * @param warnings what people must not miss, e.g. a metric user that can do more than read
     * @param routerToken the admin token of the router that runs on its own ({@code router}), or null
     */
    public CanaryRollout(Properties logCredentials, Properties metricCredentials, Consumer<String> progress,
            Consumer<String> warnings, String routerToken) {
        this.logCredentials = logCredentials;
        this.metricCredentials = metricCredentials;
        this.progress = progress;
        this.warnings = warnings;
        this.routerToken = routerToken;
    }

    /** Runs the rollout; relative paths and a relative SQLite log are in {@code directory}. */
    public CanaryResult run(CanaryRolloutParameters p, Path directory) {
        String log = LogUrl.resolve(p.log(), directory);
        PrometheusWindows windows = p.prometheus() == null ? null : new PrometheusWindows(
                new PrometheusClient(p.prometheus(), PROMETHEUS_DEADLINE, PROMETHEUS_MAX_BYTES),
                CanaryRolloutParameters.KSERVE.equals(p.backend()) ? PrometheusQueries.knative(p.namespace())
                        : PrometheusQueries.istio(p.namespace(), virtualServiceHost(p)), p.prometheusStep());
        if (CanaryRolloutParameters.EMBEDDED.equals(p.backend()) && p.router() != null) {
            if (p.stable() != null) {
                throw new BadInputException("--router: the running router's variant 'stable' is production; --stable is for a"
                        + " router of the step's own");
            }
            MetricSources sources = metricSources(p, log, windows, UnaryOperator.identity()).check(p.config().metrics(), warnings);
            RouterClient router = new RouterClient(p.router(), routerToken);
            RemoteTrafficBackend target = new RemoteTrafficBackend(router);
            if (p.candidate() != null) {
                // Refused (409) while the router's candidate has traffic: an unfinished rollout is not overtaken.
                router.pointVariant(TrafficBackend.CANDIDATE, p.candidate());
                progress.accept("Router at " + p.router() + ": candidate now " + p.candidate() + " (at 0%)");
            }
            return running(p, directory, target, sources);
        }
        if (p.router() != null) {
            throw new BadInputException("--router drives a running mlops router; --backend " + p.backend() + " moves weights in"
                    + " the cluster: give one of them");
        }
        if (CanaryRolloutParameters.EMBEDDED.equals(p.backend())) {
            require(p.stable(), "--stable");
            require(p.candidate(), "--candidate");
            MetricSources sources = metricSources(p, log, windows, UnaryOperator.identity())
                    .checkForRouter(p.config().metrics(), log, logCredentials, "--log", warnings);
            return embedded(p, directory, log, sources);
        }
        if (windows == null) {
            throw new BadInputException("--backend " + p.backend() + " reads its metrics from Prometheus: give --prometheus URL");
        }
        boolean istio = CanaryRolloutParameters.ISTIO.equals(p.backend());
        UnaryOperator<String> labels = istio
                ? v -> v.equals(TrafficBackend.STABLE) ? p.stableSubset() : p.candidateSubset() : UnaryOperator.identity();
        MetricSources sources = metricSources(p, log, windows, labels).check(p.config().metrics(), warnings);
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            TrafficBackend target = istio
                    ? new IstioTrafficBackend(client, p.namespace(), require(p.virtualService(), "--virtual-service"),
                            virtualServiceHost(p), p.stableSubset(), p.candidateSubset(), windows)
                    : new KServeTrafficBackend(client, p.namespace(), require(p.inferenceService(), "--inference-service"), windows);
            return rollout(target, p.config(), sources);
        }
    }

    private CanaryResult embedded(CanaryRolloutParameters p, Path directory, String log, MetricSources sources) {
        List<String> bodies = p.replay() == null ? null : RequestBodies.read(directory.resolve(p.replay()), "--replay");
        RouterConfig routerConfig = RouterConfig.builder().listen(p.listen())
                .variant(TrafficBackend.STABLE, p.stable()).variant(TrafficBackend.CANDIDATE, p.candidate())
                .weight(TrafficBackend.STABLE, 100).weight(TrafficBackend.CANDIDATE, 0)
                .log(log).payloadMode(p.payload()).stateFile(p.state() == null ? null : directory.resolve(p.state()))
                .upstreamCa(p.upstreamCa() == null ? null : directory.resolve(p.upstreamCa())).build();
        try (EmbeddedTrafficBackend target = new EmbeddedTrafficBackend(Router.start(routerConfig, logCredentials))) {
            progress.accept("Router listening on " + target.router().uri());
            return replayed(p, bodies, target.router().uri(), () -> rollout(target, p.config(), sources));
        }
    }

    /** On a router that runs on its own: it keeps serving, at the weights the rollout ended with, after the step. */
    private CanaryResult running(CanaryRolloutParameters p, Path directory, RemoteTrafficBackend target, MetricSources sources) {
        List<String> bodies = p.replay() == null ? null : RequestBodies.read(directory.resolve(p.replay()), "--replay");
        return replayed(p, bodies, p.router(), () -> rollout(target, p.config(), sources));
    }

    /** Runs {@code rollout} with the built-in traffic, when there is a replay file, sent to {@code router}. */
    private CanaryResult replayed(CanaryRolloutParameters p, List<String> bodies, URI router, Supplier<CanaryResult> rollout) {
        try (PacedReplay replay = bodies == null ? null : PacedReplay.start(router.resolve(p.replayPath()),
                bodies, p.replayRate(), REPLAY_IN_FLIGHT, REPLAY_TIMEOUT)) {
            CanaryResult result = rollout.get();
            if (replay != null) {
                PacedReplay.Stats seen = replay.stats();
                progress.accept("Replay: " + seen.sent() + " answered, " + seen.serverErrors() + " 5xx, " + seen.failed()
                        + " without an answer, " + seen.skipped() + " skipped (too many in flight)");
            }
            return result;
        }
    }

    private CanaryResult rollout(TrafficBackend target, CanaryConfig config, MetricSources sources) {
        progress.accept("Canary on " + target.describe() + ": steps " + config.steps());
        return new RolloutController(target, sources, Clock.systemUTC(), Sleeper.REAL, progress).run(config);
    }

    /** The metric sources, the SQL ones read as the metric user; checked by the caller before anything runs. */
    private MetricSources metricSources(CanaryRolloutParameters p, String log, PrometheusWindows windows,
            UnaryOperator<String> labels) {
        String read = log;
        if (p.metricLog() != null) {
            LogUrl.check(p.metricLog(), "--metric-log");
            read = p.metricLog();
        }
        return new MetricSources(read == null ? null
                : new SqlMetricReader(read, metricCredentials, p.queryTimeout(), METRIC_MAX_ROWS), windows, labels);
    }

    private static String virtualServiceHost(CanaryRolloutParameters p) {
        return p.host() != null ? p.host() : p.virtualService();
    }

    private static <T> T require(T value, String option) {
        if (value == null) {
            throw new BadInputException("missing " + option);
        }
        return value;
    }
}
