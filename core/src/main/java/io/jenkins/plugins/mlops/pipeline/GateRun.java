package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.gate.GateModel;
import io.jenkins.plugins.mlops.gate.GateParameters;
import io.jenkins.plugins.mlops.gate.GateResult;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.packaging.ImageDigests;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
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
        ParameterBuilder<GateParameters> parameters = stage.parameters(state::expand);
        if (stage.text("candidate") == null) {
            parameters.set("candidate", Evaluation.predictions(state, "gate.evaluate", stage.evaluate(), modelOf(state),
                    predictions.resolve("candidate.csv")).toString());
        }
        Optional<ModelVersion> champion = Optional.empty();
        if (!stage.baselineGiven()) {
            champion = champion(state);
            if (champion.isPresent()) {
                ModelVersion version = champion.get();
                state.championLocation = modelLocation(version);
                state.championImage = version.tags().get(ImageDigests.VERSION_TAG);
                state.console.accept("gate: baseline is " + state.config.name() + "@" + state.config.champion()
                        + " (version " + version.version() + ")");
                parameters.set("baseline", Evaluation.predictions(state, "gate.evaluate", stage.evaluate(),
                        state.championLocation, predictions.resolve("champion.csv")).toString());
            } else {
                if (stage.firstBaseline() == null || stage.firstPolicy() == null) {
                    throw new BadInputException("gate: no model holds " + state.config.name() + "@" + state.config.champion()
                            + " yet; give gate.first-baseline and gate.first-policy for the first model");
                }
                state.console.accept("gate: no " + state.config.name() + "@" + state.config.champion()
                        + " yet: first model, held to " + stage.firstPolicy());
                parameters.set("baseline", Evaluation.predictions(state, "gate.first-baseline",
                        stage.firstBaseline(), null, predictions.resolve("first-baseline.csv")).toString());
                parameters.set("policy", state.expand(stage.firstPolicy()));
            }
        }
        GateResult result = new GateModel(model -> {
            throw new BadInputException("gate.baseline-model: in a pipeline the champion is scored on the hold-out rows"
                    + " (paired, with intervals); leave baseline-model out and set champion instead");
        }, state.console).run(parameters.build(), state.project);
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
