package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.gate.BaselinePredictions;
import io.jenkins.plugins.mlops.gate.BaselineSource;
import io.jenkins.plugins.mlops.gate.GateConfig;
import io.jenkins.plugins.mlops.gate.GatePolicy;
import io.jenkins.plugins.mlops.gate.GateResult;
import io.jenkins.plugins.mlops.gate.Metric;
import io.jenkins.plugins.mlops.gate.ModelGate;
import io.jenkins.plugins.mlops.gate.PolicyParser;
import io.jenkins.plugins.mlops.gate.RecordedBaseline;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.registry.ModelNotFoundException;
import io.jenkins.plugins.mlops.registry.ModelRegistries;
import io.jenkins.plugins.mlops.registry.ModelRegistry;
import io.jenkins.plugins.mlops.registry.ModelVersion;
import io.jenkins.plugins.mlops.report.GatePanels;
import io.jenkins.plugins.mlops.result.Status;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The gate stage: scores the candidate and the champion on the same hold-out rows with the
 * user's evaluate command, then runs the gate. With no champion yet, the first model is held to
 * {@code first-policy} against {@code first-baseline}'s predictions.
 */
final class GateRun implements Stage {
    private final GateStage stage;

    GateRun(GateStage stage) {
        this.stage = stage;
    }

    @Override
    public String key() {
        return "gate";
    }

    @Override
    public String title() {
        return "Model gate";
    }

    @Override
    public StageReport run(RunState state) {
        Path predictions = state.runDir.resolve("predictions");
        String candidate = stage.candidate() != null ? state.path(stage.candidate()).toString()
                : Evaluation.predictions(state, "gate.evaluate", stage.evaluate(), modelOf(state),
                        predictions.resolve("candidate.csv")).toString();
        BaselineSource baseline;
        String policy = stage.policy();
        Optional<ModelVersion> champion = Optional.empty();
        if (stage.baselineGiven()) {
            baseline = givenBaseline(state);
        } else {
            champion = champion(state);
            if (champion.isPresent()) {
                ModelVersion version = champion.get();
                state.championLocation = modelLocation(version);
                state.console.accept("gate: baseline is " + state.config.name() + "@" + state.config.champion()
                        + " (version " + version.version() + ")");
                baseline = new BaselinePredictions(Evaluation.predictions(state, "gate.evaluate", stage.evaluate(),
                        state.championLocation, predictions.resolve("champion.csv")).toString());
            } else {
                if (stage.firstBaseline() == null || stage.firstPolicy() == null) {
                    throw new BadInputException("gate: no model holds " + state.config.name() + "@" + state.config.champion()
                            + " yet; give gate.first-baseline and gate.first-policy for the first model");
                }
                state.console.accept("gate: no " + state.config.name() + "@" + state.config.champion()
                        + " yet: first model, held to " + stage.firstPolicy());
                baseline = new BaselinePredictions(Evaluation.predictions(state, "gate.first-baseline",
                        stage.firstBaseline(), null, predictions.resolve("first-baseline.csv")).toString());
                policy = stage.firstPolicy();
            }
        }
        GateConfig config = GateConfig.builder(baseline, candidate, stage.label(), stage.prediction())
                .score(stage.score()).id(stage.id()).task(stage.task())
                .metrics(stage.metric().stream().map(name -> Metric.fromId(name.trim(), "gate.metric")).toList())
                .policy(policy == null ? GatePolicy.defaults() : PolicyParser.parse(state.path(policy)))
                .confidence(stage.confidence()).resamples(stage.resamples()).seed(stage.seed()).slices(stage.slice())
                .positiveClass(stage.positiveClass())
                .build();
        GateResult result = ModelGate.run(config, state.console);
        state.gateReport = state.runDir.resolve("gate.json");
        recordPrimaryMetric(state, result, champion);
        return StageReport.of(result, "gate", GatePanels.panels(result), Status.FAIL);
    }

    private String modelOf(RunState state) {
        Path model = state.trainedModel();
        if (model == null) {
            throw new BadInputException("gate.evaluate needs a model: add the train stage, or give gate.candidate");
        }
        return model.toString();
    }

    private BaselineSource givenBaseline(RunState state) {
        if (stage.baseline() != null) {
            return new BaselinePredictions(state.path(stage.baseline()).toString());
        }
        if (stage.baselineMetrics() != null) {
            return RecordedBaseline.read(state.path(stage.baselineMetrics()));
        }
        throw new BadInputException("gate.baseline-model: in a pipeline the champion is scored on the hold-out rows"
                + " (paired, with intervals); leave baseline-model out and set champion instead");
    }

    /**
     * The version that holds the champion alias; empty only when no version holds it. An alias
     * whose version or files are gone is an infrastructure failure, never "no champion": that would
     * hold the candidate to the first-model floors and could promote a worse model.
     */
    private static Optional<ModelVersion> champion(RunState state) {
        ModelRegistry registry = ModelRegistries.open(state.registry(), state.credentials, Duration.ofMinutes(2),
                state.console);
        ModelVersion version;
        try {
            version = registry.getByAlias(state.config.name(), state.config.champion());
        } catch (ModelNotFoundException e) {
            return Optional.empty();
        }
        registry.requireFiles(version);
        return Optional.of(version);
    }

    /** What {@code {model}} is for a registry version: a local path for the local registry, else its URI. */
    static String modelLocation(ModelVersion version) {
        String source = version.source();
        if (source != null && source.startsWith("file:")) {
            return Path.of(URI.create(source)).toString();
        }
        return "models:/" + version.name() + "/" + version.version();
    }

    /** Keeps the primary metric of both models on this run's rows, for the run history. */
    private static void recordPrimaryMetric(RunState state, GateResult result, Optional<ModelVersion> champion) {
        result.metrics().stream().filter(m -> m.name().equals(result.primaryMetric())).findFirst().ifPresent(primary -> {
            state.primary = primary;
            state.holdOutRows = result.rows();
            state.championVersion = champion.map(ModelVersion::version).orElse(null);
        });
    }
}
