package io.jenkins.plugins.mlops.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryRolloutParameters;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The {@code canary} stage: the parameters of {@code canaryRollout} ({@code mlops canary}) on the
 * embedded router, checked when the file is read. Without {@code stable} and {@code candidate} the
 * pipeline serves the champion and the candidate itself with {@code serve}; with {@code router}, a
 * running router's own variants roll out (its candidate pointed at {@code candidate} first, if
 * given). {@code replay} is the built-in traffic. Its own defaults: the router on a free port, the
 * log in the run's directory.
 *
 * @param values the stage's values by parameter name, as YAML typed them
 */
public record CanaryStage(Map<String, Object> values) implements Serializable {
    private static final RouterStage<CanaryRolloutParameters> KIND = new RouterStage<>("canary",
            CanaryRolloutParameters.CATALOGUE, CanaryRolloutParameters::builder, List.of("state", "replay", "routerTokenFile"),
            "stable", "candidate");

    public CanaryStage {
        values = KIND.checked(values);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static CanaryStage of(Map<String, Object> yaml) {
        return new CanaryStage(KIND.byName(yaml));
    }

    /** The stage's parameters with the pipeline's placeholders in the log and the paths replaced; the runner adds the served models' URLs. */
    ParameterBuilder<CanaryRolloutParameters> parameters(UnaryOperator<String> placeholders) {
        return KIND.parameters(values, placeholders);
    }

    /** Whether the pipeline serves both models itself. */
    boolean servesBoth() {
        return KIND.servesItself(values);
    }

    String replay() {
        return StageKeys.text(values, "replay");
    }
}
