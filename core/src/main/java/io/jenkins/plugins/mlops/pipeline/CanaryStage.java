package io.jenkins.plugins.mlops.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryRolloutParameters;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The {@code canary} stage: the parameters of {@code canaryRollout} ({@code mlops canary}) on the
 * embedded router, checked when the file is read. Without {@code stable} and {@code candidate} the
 * pipeline serves the champion and the candidate itself with {@code serve}; {@code replay} is the
 * built-in traffic. Its own defaults: the router on a free port, the log in the run's directory.
 *
 * @param values the stage's values by parameter name, as YAML typed them
 */
public record CanaryStage(Map<String, Object> values) implements Serializable {
    private static final List<String> FILES = List.of("state", "replay");

    public CanaryStage {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        StageKeys.bothOrNeither("canary", values, "stable", "candidate");
        StageKeys.check("canary", parameters(values, UnaryOperator.identity()));
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static CanaryStage of(Map<String, Object> yaml) {
        return new CanaryStage(StageKeys.byName("canary", CanaryRolloutParameters.CATALOGUE, yaml));
    }

    /** The stage's parameters with the pipeline's placeholders in the log and the paths replaced; the runner adds the served models' URLs. */
    ParameterBuilder<CanaryRolloutParameters> parameters(UnaryOperator<String> placeholders) {
        return parameters(values, placeholders);
    }

    private static ParameterBuilder<CanaryRolloutParameters> parameters(Map<String, Object> values, UnaryOperator<String> placeholders) {
        return StageKeys.routerDefaults(CanaryRolloutParameters.builder(), values, placeholders, FILES);
    }

    String stable() {
        return StageKeys.text(values, "stable");
    }

    String replay() {
        return StageKeys.text(values, "replay");
    }
}
