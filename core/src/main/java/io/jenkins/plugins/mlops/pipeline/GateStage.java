package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.gate.Task;
import java.io.Serializable;
import java.util.List;

/**
 * The {@code gate} stage: the options of {@code mlops gate}, plus how the pipeline gets the
 * predictions the gate compares.
 *
 * @param evaluate the command that writes a model's hold-out predictions: {@code {model}} is the
 *     model (directory or URI), {@code {out}} the predictions file to write. It scores the
 *     candidate and the champion on the same rows, unless {@code candidate} or a baseline key is given.
 * @param firstBaseline when no model holds the champion alias: the command that writes the
 *     predictions of a reference baseline (e.g. the class prior) to {@code {out}}
 * @param firstPolicy the policy of the first model (absolute thresholds); {@code policy} otherwise
 */
public record GateStage(String baseline, String baselineMetrics, String baselineModel, String candidate, String label,
        String prediction, String score, String id, Task task, List<String> metric, String policy, Double confidence,
        Integer resamples, Long seed, List<String> slice, String positiveClass, List<String> evaluate,
        List<String> firstBaseline, String firstPolicy) implements Serializable {

    public GateStage {
        label = Keys.required(label, "gate.label");
        prediction = Keys.required(prediction, "gate.prediction");
        metric = Keys.list(metric);
        confidence = confidence == null ? 0.95 : confidence;
        resamples = resamples == null ? 1000 : resamples;
        seed = seed == null ? 42L : seed;
        slice = Keys.list(slice);
        positiveClass = Keys.orDefault(positiveClass, "1");
        evaluate = evaluate == null ? null : Keys.command(evaluate, "gate.evaluate");
        firstBaseline = firstBaseline == null ? null : Keys.command(firstBaseline, "gate.first-baseline");
        long baselines = java.util.stream.Stream.of(baseline, baselineMetrics, baselineModel)
                .filter(java.util.Objects::nonNull).count();
        if (baselines > 1) {
            throw Keys.invalid("gate.baseline", "give at most one of baseline, baseline-metrics, baseline-model");
        }
        if (candidate == null && evaluate == null) {
            throw Keys.invalid("gate.evaluate", "is required unless candidate names the candidate's predictions");
        }
    }

    /** Whether the user named the baseline; otherwise the pipeline scores the champion. */
    boolean baselineGiven() {
        return baseline != null || baselineMetrics != null || baselineModel != null;
    }
}
