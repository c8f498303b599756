package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.deploy.EmbeddedTrafficBackend;
import io.jenkins.plugins.mlops.deploy.TrafficBackend;
import io.jenkins.plugins.mlops.deploy.judge.BusinessMetric;
import io.jenkins.plugins.mlops.deploy.judge.JudgePolicy;
import io.jenkins.plugins.mlops.deploy.log.LogUrl;
import io.jenkins.plugins.mlops.deploy.metrics.MetricSources;
import io.jenkins.plugins.mlops.deploy.metrics.SqlMetricReader;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryConfig;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryPanels;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryResult;
import io.jenkins.plugins.mlops.deploy.rollout.RolloutController;
import io.jenkins.plugins.mlops.deploy.rollout.Sleeper;
import io.jenkins.plugins.mlops.deploy.router.Router;
import io.jenkins.plugins.mlops.deploy.router.RouterConfig;
import io.jenkins.plugins.mlops.deploy.traffic.PacedReplay;
import io.jenkins.plugins.mlops.deploy.traffic.RequestBodies;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.train.Durations;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The canary stage on the embedded router: stable is the champion, the candidate takes the
 * steps' weights, the judge compares both at every look; the replay file is the traffic.
 */
final class CanaryRun implements Stage {
    private static final int MAX_IN_FLIGHT = 64;

    private final CanaryStage stage;

    CanaryRun(CanaryStage stage) {
        this.stage = stage;
    }

    @Override
    public String key() {
        return "canary";
    }

    @Override
    public String title() {
        return "Canary rollout";
    }

    @Override
    public StageReport run(RunState state) {
        if (stage.stable() == null && !Deployment.hasChampion(state)) {
            return StageReport.skipped("No production model yet: nothing to roll out against; the first model is promoted on the gate");
        }
        Duration stepDuration = Durations.parse(stage.stepDuration(), "canary.step-duration");
        Duration interval = stage.interval() != null ? Durations.parse(stage.interval(), "canary.interval")
                : Duration.ofMillis(Math.max(1000, stepDuration.toMillis() / 4));
        List<BusinessMetric> metrics = stage.metric().stream().map(m -> BusinessMetric.parse(m, "canary.metric")).toList();
        CanaryConfig config = new CanaryConfig(stage.steps(), stepDuration, interval,
                stage.maxWait() == null ? stepDuration : Durations.parse(stage.maxWait(), "canary.max-wait"),
                new JudgePolicy(stage.minRequests(), stage.maxErrorRate(), stage.maxLatencyRatio(),
                        stage.maxPredictionDrift(), stage.minMetricSamples(), 1 - stage.confidence()), metrics);
        List<String> bodies = stage.replay() == null ? null : RequestBodies.read(state.path(stage.replay()), "canary.replay");
        URI stable = stage.stable() != null ? URI.create(stage.stable()) : state.deployment.champion(state);
        URI candidate = stage.candidate() != null ? URI.create(stage.candidate()) : state.deployment.candidate(state);
        String log = "none".equalsIgnoreCase(stage.log()) ? null : state.expand(stage.log());
        if (log != null) {
            LogUrl.check(log, "canary.log");
        }
        RouterConfig router = RouterConfig.builder().listen(stage.listen())
                .variant(TrafficBackend.STABLE, stable).variant(TrafficBackend.CANDIDATE, candidate)
                .weight(TrafficBackend.STABLE, 100).weight(TrafficBackend.CANDIDATE, 0)
                .log(log).stateFile(stage.state() == null ? null : state.path(stage.state())).build();
        MetricSources sources = new MetricSources(log == null ? null : new SqlMetricReader(log, state.metricCredentials(),
                Durations.parse(stage.queryTimeout(), "canary.query-timeout"), 1_000_000), null, UnaryOperator.identity())
                .checkForRouter(metrics, log, state.logCredentials(), "canary.log", w -> state.console.accept("canary: WARNING: " + w));
        CanaryResult result;
        try (EmbeddedTrafficBackend target = new EmbeddedTrafficBackend(Router.start(router, state.logCredentials()))) {
            state.console.accept("canary: router on " + target.router().uri() + ", steps " + config.steps());
            try (PacedReplay replay = bodies == null ? null : PacedReplay.start(target.router().uri().resolve(stage.replayPath()),
                    bodies, stage.replayRate(), MAX_IN_FLIGHT, Duration.ofSeconds(30))) {
                result = new RolloutController(target, sources, Clock.systemUTC(), Sleeper.REAL, state.console).run(config);
            }
        }
        return StageReport.of(result, "canary", CanaryPanels.panels(result), Status.FAIL);
    }
}
