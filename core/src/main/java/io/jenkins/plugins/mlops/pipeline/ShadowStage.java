package io.jenkins.plugins.mlops.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowParameters;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The {@code shadow} stage: the parameters of {@code shadowDeploy} ({@code mlops shadow}), checked
 * when the file is read. Without {@code primary} and {@code shadow} the pipeline serves the champion
 * and the candidate itself with {@code serve}; with {@code router}, a running router mirrors to
 * {@code shadow} (or the candidate the pipeline serves). Its own defaults: the router on a free
 * port, the log in the run's directory.
 *
 * @param values the stage's values by parameter name, as YAML typed them
 */
public record ShadowStage(Map<String, Object> values) implements Serializable {
    private static final RouterStage<ShadowParameters> KIND = new RouterStage<>("shadow", ShadowParameters.CATALOGUE,
            ShadowParameters::builder, List.of("replay", "routerTokenFile"), "primary", "shadow");

    public ShadowStage {
        values = KIND.checked(values);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ShadowStage of(Map<String, Object> yaml) {
        return new ShadowStage(KIND.byName(yaml));
    }

    /** The stage's parameters with the pipeline's placeholders replaced in the log and the files. */
    ParameterBuilder<ShadowParameters> parameters(UnaryOperator<String> placeholders) {
        return KIND.parameters(values, placeholders);
    }

    /** Whether the pipeline serves the champion (the primary) itself. */
    boolean servesPrimary() {
        return KIND.servesItself(values);
    }

    String shadow() {
        return StageKeys.text(values, "shadow");
    }

    String replay() {
        return StageKeys.text(values, "replay");
    }
}
