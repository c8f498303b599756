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
    static final String LISTEN = "127.0.0.1:0";
    static final String LOG = "jdbc:sqlite:{run}/predictions.db";

    public CanaryStage {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        if ((values.get("stable") == null) != (values.get("candidate") == null)) {
            throw Keys.invalid("canary.stable", "give both stable and candidate URLs, or neither (the pipeline serves both)");
        }
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
        ParameterBuilder<CanaryRolloutParameters> parameters = CanaryRolloutParameters.builder().setAll(values)
                .setAbsent("listen", LISTEN).set("log", placeholders.apply(text(values, "log", LOG)));
        for (String path : List.of("state", "replay")) {
            String value = text(values, path, null);
            parameters.set(path, value == null ? null : placeholders.apply(value));
        }
        return parameters;
    }

    String stable() {
        return text(values, "stable", null);
    }

    String replay() {
        return text(values, "replay", null);
    }

    private static String text(Map<String, Object> values, String name, String fallback) {
        Object value = values.get(name);
        return value == null ? fallback : String.valueOf(value);
    }
}
