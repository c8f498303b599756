package io.jenkins.plugins.mlops.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowParameters;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
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
    static final String LISTEN = "127.0.0.1:0";
    static final String LOG = "jdbc:sqlite:{run}/predictions.db";

    public ShadowStage {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        if ((values.get("primary") == null) != (values.get("shadow") == null)) {
            throw Keys.invalid("shadow.primary", "give both primary and shadow URLs, or neither (the pipeline serves both)");
        }
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
        String replay = text(values, "replay");
        return ShadowParameters.builder().setAll(values).setAbsent("listen", LISTEN)
                .set("log", placeholders.apply(text(values, "log") == null ? LOG : text(values, "log")))
                .set("replay", replay == null ? null : placeholders.apply(replay));
    }

    String primary() {
        return text(values, "primary");
    }

    String replay() {
        return text(values, "replay");
    }

    private static String text(Map<String, Object> values, String name) {
        Object value = values.get(name);
        return value == null ? null : String.valueOf(value);
    }
}
