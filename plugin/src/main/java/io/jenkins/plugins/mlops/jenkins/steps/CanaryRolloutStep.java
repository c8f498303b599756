package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.TaskListener;
import hudson.util.ListBoxModel;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jenkins.plugins.mlops.deploy.EmbeddedTrafficBackend;
import io.jenkins.plugins.mlops.deploy.TrafficBackend;
import io.jenkins.plugins.mlops.deploy.istio.IstioTrafficBackend;
import io.jenkins.plugins.mlops.deploy.judge.BusinessMetric;
import io.jenkins.plugins.mlops.deploy.judge.JudgePolicy;
import io.jenkins.plugins.mlops.deploy.kserve.KServeTrafficBackend;
import io.jenkins.plugins.mlops.deploy.metrics.MetricSources;
import io.jenkins.plugins.mlops.deploy.metrics.SqlMetricReader;
import io.jenkins.plugins.mlops.deploy.prometheus.PrometheusClient;
import io.jenkins.plugins.mlops.deploy.prometheus.PrometheusQueries;
import io.jenkins.plugins.mlops.deploy.prometheus.PrometheusWindows;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryConfig;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryResult;
import io.jenkins.plugins.mlops.deploy.rollout.RolloutController;
import io.jenkins.plugins.mlops.deploy.rollout.Sleeper;
import io.jenkins.plugins.mlops.deploy.router.Router;
import io.jenkins.plugins.mlops.deploy.router.RouterConfig;
import io.jenkins.plugins.mlops.deploy.traffic.PacedReplay;
import io.jenkins.plugins.mlops.deploy.traffic.RequestBodies;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.jenkins.actions.CanaryAction;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.train.Durations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code canaryRollout}: shifts traffic to the candidate in steps (5% → 25% → 50% → 100%), judges
 * errors, latency, predictions and business metrics at every look, and promotes or rolls back, as
 * {@code mlops canary} does: through the embedded router on this agent, an Istio VirtualService or a
 * KServe InferenceService. A rolled-back candidate fails the step (or, with {@code unstableOnFailure},
 * marks the build UNSTABLE); the result's {@code outcome} is {@code promoted} or {@code rolled_back}.
 * <pre>
 * def canary = canaryRollout backend: 'istio', virtualService: 'churn', prometheus: 'http://prometheus:9090',
 *                            steps: '5,25,50,100', stepDuration: '10m'
 * </pre>
 */
public class CanaryRolloutStep extends MlopsStep {
    /** The CLI's limits: at most 64 replayed requests in flight, 30 s each; metric queries return at most a million rows. */
    static final int REPLAY_IN_FLIGHT = 64;
    static final Duration REPLAY_TIMEOUT = Duration.ofSeconds(30);
    static final int METRIC_MAX_ROWS = 1_000_000;
    static final Duration PROMETHEUS_DEADLINE = Duration.ofSeconds(10);
    static final long PROMETHEUS_MAX_BYTES = 16L << 20;

    private String backend = "embedded";
    private String stable;
    private String candidate;
    private String listen = ShadowDeployStep.DEFAULT_LISTEN;
    private String state;
    private String log = PredictionLogs.DEFAULT;
    private String steps = "5,25,50,100";
    private String stepDuration = "60s";
    private String interval;
    private String maxWait;
    private long minRequests = 100;
    private double maxErrorRate = 0.01;
    private double maxLatencyRatio = 1.2;
    private double maxPredictionDrift = 0.2;
    private double confidence = 0.95;
    private int minMetricSamples = 30;
    private String metric;
    private String queryTimeout = "30s";
    private String prometheus;
    private String prometheusStep = "15s";
    private String namespace = "default";
    private String virtualService;
    private String host;
    private String stableSubset = "stable";
    private String candidateSubset = "candidate";
    private String inferenceService;
    private String replay;
    private String replayPath = "/invocations";
    private double replayRate = 20;

    @DataBoundConstructor
    public CanaryRolloutStep() {}

    public String getBackend() {
        return backend;
    }

    @DataBoundSetter
    public void setBackend(String backend) {
        this.backend = Util.fixEmptyAndTrim(backend) == null ? "embedded" : backend.trim().toLowerCase(Locale.ROOT);
    }

    @CheckForNull
    public String getStable() {
        return stable;
    }

    @DataBoundSetter
    public void setStable(String stable) {
        this.stable = Util.fixEmptyAndTrim(stable);
    }

    @CheckForNull
    public String getCandidate() {
        return candidate;
    }

    @DataBoundSetter
    public void setCandidate(String candidate) {
        this.candidate = Util.fixEmptyAndTrim(candidate);
    }

    public String getListen() {
        return listen;
    }

    @DataBoundSetter
    public void setListen(String listen) {
        this.listen = Util.fixEmptyAndTrim(listen) == null ? ShadowDeployStep.DEFAULT_LISTEN : listen.trim();
    }

    @CheckForNull
    public String getState() {
        return state;
    }

    @DataBoundSetter
    public void setState(String state) {
        this.state = Util.fixEmptyAndTrim(state);
    }

    public String getLog() {
        return log;
    }

    @DataBoundSetter
    public void setLog(String log) {
        this.log = Util.fixEmptyAndTrim(log) == null ? PredictionLogs.DEFAULT : log.trim();
    }

    public String getSteps() {
        return steps;
    }

    @DataBoundSetter
    public void setSteps(String steps) {
        this.steps = Util.fixEmptyAndTrim(steps) == null ? "5,25,50,100" : steps.trim();
    }

    public String getStepDuration() {
        return stepDuration;
    }

    @DataBoundSetter
    public void setStepDuration(String stepDuration) {
        this.stepDuration = Util.fixEmptyAndTrim(stepDuration) == null ? "60s" : stepDuration.trim();
    }

    @CheckForNull
    public String getInterval() {
        return interval;
    }

    @DataBoundSetter
    public void setInterval(String interval) {
        this.interval = Util.fixEmptyAndTrim(interval);
    }

    @CheckForNull
    public String getMaxWait() {
        return maxWait;
    }

    @DataBoundSetter
    public void setMaxWait(String maxWait) {
        this.maxWait = Util.fixEmptyAndTrim(maxWait);
    }

    public long getMinRequests() {
        return minRequests;
    }

    @DataBoundSetter
    public void setMinRequests(long minRequests) {
        this.minRequests = minRequests;
    }

    public double getMaxErrorRate() {
        return maxErrorRate;
    }

    @DataBoundSetter
    public void setMaxErrorRate(double maxErrorRate) {
        this.maxErrorRate = maxErrorRate;
    }

    public double getMaxLatencyRatio() {
        return maxLatencyRatio;
    }

    @DataBoundSetter
    public void setMaxLatencyRatio(double maxLatencyRatio) {
        this.maxLatencyRatio = maxLatencyRatio;
    }

    public double getMaxPredictionDrift() {
        return maxPredictionDrift;
    }

    @DataBoundSetter
    public void setMaxPredictionDrift(double maxPredictionDrift) {
        this.maxPredictionDrift = maxPredictionDrift;
    }

    public double getConfidence() {
        return confidence;
    }

    @DataBoundSetter
    public void setConfidence(double confidence) {
        this.confidence = confidence;
    }

    public int getMinMetricSamples() {
        return minMetricSamples;
    }

    @DataBoundSetter
    public void setMinMetricSamples(int minMetricSamples) {
        this.minMetricSamples = minMetricSamples;
    }

    @CheckForNull
    public String getMetric() {
        return metric;
    }

    @DataBoundSetter
    public void setMetric(String metric) {
        this.metric = Util.fixEmptyAndTrim(metric);
    }

    public String getQueryTimeout() {
        return queryTimeout;
    }

    @DataBoundSetter
    public void setQueryTimeout(String queryTimeout) {
        this.queryTimeout = Util.fixEmptyAndTrim(queryTimeout) == null ? "30s" : queryTimeout.trim();
    }

    @CheckForNull
    public String getPrometheus() {
        return prometheus;
    }

    @DataBoundSetter
    public void setPrometheus(String prometheus) {
        this.prometheus = Util.fixEmptyAndTrim(prometheus);
    }

    public String getPrometheusStep() {
        return prometheusStep;
    }

    @DataBoundSetter
    public void setPrometheusStep(String prometheusStep) {
        this.prometheusStep = Util.fixEmptyAndTrim(prometheusStep) == null ? "15s" : prometheusStep.trim();
    }

    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Util.fixEmptyAndTrim(namespace) == null ? "default" : namespace.trim();
    }

    @CheckForNull
    public String getVirtualService() {
        return virtualService;
    }

    @DataBoundSetter
    public void setVirtualService(String virtualService) {
        this.virtualService = Util.fixEmptyAndTrim(virtualService);
    }

    @CheckForNull
    public String getHost() {
        return host;
    }

    @DataBoundSetter
    public void setHost(String host) {
        this.host = Util.fixEmptyAndTrim(host);
    }

    public String getStableSubset() {
        return stableSubset;
    }

    @DataBoundSetter
    public void setStableSubset(String stableSubset) {
        this.stableSubset = Util.fixEmptyAndTrim(stableSubset) == null ? "stable" : stableSubset.trim();
    }

    public String getCandidateSubset() {
        return candidateSubset;
    }

    @DataBoundSetter
    public void setCandidateSubset(String candidateSubset) {
        this.candidateSubset = Util.fixEmptyAndTrim(candidateSubset) == null ? "candidate" : candidateSubset.trim();
    }

    @CheckForNull
    public String getInferenceService() {
        return inferenceService;
    }

    @DataBoundSetter
    public void setInferenceService(String inferenceService) {
        this.inferenceService = Util.fixEmptyAndTrim(inferenceService);
    }

    @CheckForNull
    public String getReplay() {
        return replay;
    }

    @DataBoundSetter
    public void setReplay(String replay) {
        this.replay = Util.fixEmptyAndTrim(replay);
    }

    public String getReplayPath() {
        return replayPath;
    }

    @DataBoundSetter
    public void setReplayPath(String replayPath) {
        this.replayPath = Util.fixEmptyAndTrim(replayPath) == null ? "/invocations" : replayPath.trim();
    }

    public double getReplayRate() {
        return replayRate;
    }

    @DataBoundSetter
    public void setReplayRate(double replayRate) {
        this.replayRate = replayRate;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new InterruptibleEngineExecution(context, CanaryResult.STEP, leftRunningOnRestart(), (c, interruptId) -> {
            StepRun run = StepRun.of(c);
            Properties credentials = PredictionLogs.credentials(run.env());
            Properties metricCredentials = PredictionLogs.metricCredentials(run.env());
            Call call = new Call(run.listener(), getReport(), this, credentials, metricCredentials);
            return ResultMaps.of(run.execute(call.interruptibleAs(interruptId), CanaryAction::new, Status.FAIL,
                    isUnstableOnFailure()));
        });
    }

    /** What a hard restart of the controller can leave behind mid-rollout, for the failed step's message. */
    private String leftRunningOnRestart() {
        return switch (backend) {
            case "istio" -> "the VirtualService " + namespace + "/" + virtualService
                    + " keeps the weights of the last step: check it, and roll back by hand if the candidate still gets traffic";
            case "kserve" -> "the InferenceService " + namespace + "/" + inferenceService
                    + " keeps its canaryTrafficPercent: check it, and roll back by hand if the candidate still gets traffic";
            default -> "the embedded router (listen " + listen + ") ran in the JVM of the node that held the workspace;"
                    + " if that was an agent, it may still be routing there: restart that agent"
                    + (state == null ? "" : ", and the router's state file " + state + " keeps the last weights");
        };
    }

    static final class Call extends EngineCall<CanaryResult> {
        private static final long serialVersionUID = 1L;
        private final String backend;
        private final String stable;
        private final String candidate;
        private final String listen;
        private final String state;
        private final String log;
        private final String steps;
        private final String stepDuration;
        private final String interval;
        private final String maxWait;
        private final long minRequests;
        private final double maxErrorRate;
        private final double maxLatencyRatio;
        private final double maxPredictionDrift;
        private final double confidence;
        private final int minMetricSamples;
        private final String metric;
        private final String queryTimeout;
        private final String prometheus;
        private final String prometheusStep;
        private final String namespace;
        private final String virtualService;
        private final String host;
        private final String stableSubset;
        private final String candidateSubset;
        private final String inferenceService;
        private final String replay;
        private final String replayPath;
        private final double replayRate;
        private final Properties logCredentials;
        private final Properties metricCredentials;

        Call(TaskListener listener, String report, CanaryRolloutStep step, Properties logCredentials, Properties metricCredentials) {
            super(listener, PredictionLogs.masker(logCredentials, metricCredentials), report);
            this.backend = step.backend;
            this.stable = step.stable;
            this.candidate = step.candidate;
            this.listen = step.listen;
            this.state = step.state;
            this.log = step.log;
            this.steps = step.steps;
            this.stepDuration = step.stepDuration;
            this.interval = step.interval;
            this.maxWait = step.maxWait;
            this.minRequests = step.minRequests;
            this.maxErrorRate = step.maxErrorRate;
            this.maxLatencyRatio = step.maxLatencyRatio;
            this.maxPredictionDrift = step.maxPredictionDrift;
            this.confidence = step.confidence;
            this.minMetricSamples = step.minMetricSamples;
            this.metric = step.metric;
            this.queryTimeout = step.queryTimeout;
            this.prometheus = step.prometheus;
            this.prometheusStep = step.prometheusStep;
            this.namespace = step.namespace;
            this.virtualService = step.virtualService;
            this.host = step.host;
            this.stableSubset = step.stableSubset;
            this.candidateSubset = step.candidateSubset;
            this.inferenceService = step.inferenceService;
            this.replay = step.replay;
            this.replayPath = step.replayPath;
            this.replayRate = step.replayRate;
            this.logCredentials = logCredentials;
            this.metricCredentials = metricCredentials;
        }

        @Override
        protected String stepName() {
            return CanaryResult.STEP;
        }

        @Override
        protected ReportKind<CanaryResult> kind() {
            return ReportKind.CANARY;
        }

        @Override
        protected CanaryResult run(Path workspace, Consumer<String> progress) throws InterruptedException {
            List<BusinessMetric> metrics = Lists.lines(metric).stream().map(m -> BusinessMetric.parse(m, "metric")).toList();
            Duration hold = Durations.parse(stepDuration, "stepDuration");
            Duration look = interval != null ? Durations.parse(interval, "interval")
                    : Duration.ofMillis(Math.max(1000, hold.toMillis() / 4));
            CanaryConfig config = new CanaryConfig(weights(steps), hold, look,
                    maxWait == null ? hold : Durations.read(maxWait, "maxWait"),
                    new JudgePolicy(minRequests, maxErrorRate, maxLatencyRatio, maxPredictionDrift, minMetricSamples,
                            1 - confidence), metrics);
            String jdbc = PredictionLogs.jdbcUrl(log, workspace);
            PrometheusWindows windows = prometheus == null ? null : new PrometheusWindows(
                    new PrometheusClient(ShadowDeployStep.url(prometheus, "prometheus"), PROMETHEUS_DEADLINE, PROMETHEUS_MAX_BYTES),
                    "kserve".equals(backend) ? PrometheusQueries.knative(namespace)
                            : PrometheusQueries.istio(namespace, host != null ? host : virtualService),
                    Durations.parse(prometheusStep, "prometheusStep"));
            switch (backend) {
                case "embedded":
                    return embedded(workspace, config, jdbc, windows, progress);
                case "istio":
                case "kserve":
                    return onKubernetes(config, jdbc, windows, progress);
                default:
                    throw new BadInputException("backend: '" + backend + "' is not embedded, istio or kserve");
            }
        }

        private CanaryResult embedded(Path workspace, CanaryConfig config, String jdbc, PrometheusWindows windows,
                Consumer<String> progress) {
            RouterConfig routerConfig = RouterConfig.builder().listen(listen)
                    .variant(TrafficBackend.STABLE, ShadowDeployStep.url(require(stable, "stable"), "stable"))
                    .variant(TrafficBackend.CANDIDATE, ShadowDeployStep.url(require(candidate, "candidate"), "candidate"))
                    .weight(TrafficBackend.STABLE, 100).weight(TrafficBackend.CANDIDATE, 0)
                    .log(jdbc).stateFile(state == null ? null : workspace.resolve(state)).build();
            MetricSources sources = metricSources(jdbc, windows, UnaryOperator.identity())
                    .checkForRouter(config.metrics(), jdbc, logCredentials, "log", w -> progress.accept("WARNING: " + w));
            try (EmbeddedTrafficBackend target = new EmbeddedTrafficBackend(Router.start(routerConfig, logCredentials))) {
                progress.accept("Router listening on " + target.router().uri());
                try (PacedReplay traffic = replay == null ? null : PacedReplay.start(target.router().uri().resolve(replayPath),
                        RequestBodies.read(workspace.resolve(replay), "replay"), replayRate, REPLAY_IN_FLIGHT, REPLAY_TIMEOUT)) {
                    return rollout(target, config, sources, progress);
                }
            }
        }

        private CanaryResult onKubernetes(CanaryConfig config, String jdbc, PrometheusWindows windows, Consumer<String> progress) {
            if (windows == null) {
                throw new BadInputException("backend " + backend + " reads its metrics from Prometheus: give prometheus: 'http://...'");
            }
            boolean istio = "istio".equals(backend);
            UnaryOperator<String> labels = istio
                    ? v -> v.equals(TrafficBackend.STABLE) ? stableSubset : candidateSubset : UnaryOperator.identity();
            MetricSources sources = metricSources(jdbc, windows, labels)
                    .check(config.metrics(), w -> progress.accept("WARNING: " + w));
            try (KubernetesClient client = new KubernetesClientBuilder().build()) {
                TrafficBackend target = istio
                        ? new IstioTrafficBackend(client, namespace, require(virtualService, "virtualService"),
                                host != null ? host : virtualService, stableSubset, candidateSubset, windows)
                        : new KServeTrafficBackend(client, namespace, require(inferenceService, "inferenceService"), windows);
                return rollout(target, config, sources, progress);
            }
        }

        /** The metric sources, the SQL ones read as the metric user; checked by the caller before anything runs. */
        private MetricSources metricSources(String jdbc, PrometheusWindows windows, UnaryOperator<String> labels) {
            return new MetricSources(jdbc == null ? null : new SqlMetricReader(jdbc, metricCredentials,
                    Durations.parse(queryTimeout, "queryTimeout"), METRIC_MAX_ROWS), windows, labels);
        }

        private CanaryResult rollout(TrafficBackend target, CanaryConfig config, MetricSources sources, Consumer<String> progress) {
            progress.accept("Canary on " + target.describe() + ": steps " + config.steps());
            return new RolloutController(target, sources, Clock.systemUTC(), Sleeper.REAL, progress).run(config);
        }

        private static List<Integer> weights(String text) {
            try {
                return Lists.items(text).stream().map(Integer::valueOf).toList();
            } catch (NumberFormatException e) {
                throw new BadInputException("steps: '" + text + "' is not a list of percentages like 5,25,50,100");
            }
        }

        private static String require(String value, String parameter) {
            if (value == null) {
                throw new BadInputException("missing " + parameter);
            }
            return value;
        }
    }

    @Extension
    @Symbol("canaryRollout")
    public static final class DescriptorImpl extends MlopsStepDescriptor {
        @Override
        public String getFunctionName() {
            return "canaryRollout";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.CanaryRolloutStep_DisplayName();
        }

        @Override
        protected String[] summaryArguments() {
            return new String[] {"candidate", "virtualService", "inferenceService", "steps"};
        }

        public ListBoxModel doFillBackendItems() {
            ListBoxModel items = new ListBoxModel();
            items.add("Embedded router on this agent", "embedded");
            items.add("Istio VirtualService weights", "istio");
            items.add("KServe canaryTrafficPercent", "kserve");
            return items;
        }
    }
}
