package io.jenkins.plugins.mlops.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowParameters;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The {@code shadow} stage: the parameters of {@code shadowDeploy} ({@code mlops shadow}), checked
 * when the file is read. Without {@code primary} and {@code shadow} the pipeline serves the champion
 * and the candidate itself with {@code serve}. Its own defaults: the router on a free port, the log
 * in the run's directory.
 *
 * @param values the stage's values by parameter name, as YAML typed them
 */
public record ShadowStage(Map<String, Object> values) implements Serializable {
    private static final List<String> FILES = List.of("replay");

    public ShadowStage {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        StageKeys.bothOrNeither("shadow", values, "primary", "shadow");
        StageKeys.check("shadow", parameters(values, UnaryOperator.identity()));
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ShadowStage of(Map<String, Object> yaml) {
        return new ShadowStage(StageKeys.byName("shadow", ShadowParameters.CATALOGUE, yaml));
    }

    /** The stage's parameters with the pipeline's placeholders replaced in the log and the replay file. */
    ParameterBuilder<ShadowParameters> parameters(UnaryOperator<String> placeholders) {
        return parameters(values, placeholders);
    }

    private static ParameterBuilder<ShadowParameters> parameters(Map<String, Object> values, UnaryOperator<String> placeholders) {
        return StageKeys.routerDefaults(ShadowParameters.builder(), values, placeholders, FILES);
    }

    String primary() {
        return StageKeys.text(values, "primary");
    }

    String replay() {
        return StageKeys.text(values, "replay");
    }
}
