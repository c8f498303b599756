package io.jenkins.plugins.mlops.gate;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code gateModel}, the one entry point of {@code mlops gate}, the pipeline's {@code gate} stage and
 * the Jenkins step: the baseline from its predictions, its recorded metrics or the registry, the
 * policy from its file, then {@link ModelGate}.
 */
public final class GateModel {
    private final Function<String, RecordedBaseline> registryBaselines;
    private final Consumer<String> progress;

    /**
     * @param registryBaselines the metrics recorded on a registry version, for {@code baselineModel} ({@code NAME@ALIAS}):
     *     the gate does not know the registry, its callers compose both
     */
    public GateModel(Function<String, RecordedBaseline> registryBaselines, Consumer<String> progress) {
        this.registryBaselines = registryBaselines;
        this.progress = progress;
    }

    /** Runs the gate; relative files are in {@code directory}. */
    public GateResult run(GateParameters p, Path directory) {
        if (p.candidate() == null) {
            throw new BadInputException("--candidate is required");
        }
        GateConfig config = GateConfig.builder(baseline(p, directory), directory.resolve(p.candidate()).toString(), p.label(),
                        p.prediction())
                .score(p.score()).id(p.id()).task(p.task()).metrics(p.metric())
                .policy(p.policy() == null ? GatePolicy.defaults() : PolicyParser.parse(directory.resolve(p.policy())))
                .confidence(p.confidence()).resamples(p.resamples()).seed(p.seed()).slices(p.slice())
                .positiveClass(p.positiveClass()).threshold(p.threshold())
                .build();
        return ModelGate.run(config, progress);
    }

    private BaselineSource baseline(GateParameters p, Path directory) {
        long given = Stream.of(p.baseline(), p.baselineMetrics(), p.baselineModel()).filter(Objects::nonNull).count();
        if (given != 1) {
            throw new BadInputException("give exactly one of --baseline (predictions), --baseline-metrics (recorded "
                    + "metrics) or --baseline-model (metrics recorded in the registry)");
        }
        if (p.baseline() != null) {
            return new BaselinePredictions(directory.resolve(p.baseline()).toString());
        }
        return p.baselineMetrics() != null ? RecordedBaseline.read(directory.resolve(p.baselineMetrics()))
                : registryBaselines.apply(p.baselineModel());
    }
}
