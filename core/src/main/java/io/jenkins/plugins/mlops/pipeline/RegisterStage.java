package io.jenkins.plugins.mlops.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import io.jenkins.plugins.mlops.registry.RegisterParameters;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code register} stage: the parameters of {@code registerModel} ({@code mlops register}),
 * checked when the file is read. {@code name} defaults to the pipeline's, {@code model} to the train
 * stage's model; the gate and validation reports of the run become the lineage.
 *
 * @param values the stage's values by parameter name, as YAML typed them
 */
public record RegisterStage(Map<String, Object> values) implements Serializable {

    public RegisterStage {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        StageKeys.check("register", parameters(values, "name", "model"));
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static RegisterStage of(Map<String, Object> yaml) {
        return new RegisterStage(StageKeys.byName("register", RegisterParameters.CATALOGUE, yaml));
    }

    /** The stage's parameters, the pipeline's name and trained model where the stage names none. */
    ParameterBuilder<RegisterParameters> parameters(String name, String model) {
        return parameters(values, name, model);
    }

    private static ParameterBuilder<RegisterParameters> parameters(Map<String, Object> values, String name, String model) {
        return RegisterParameters.builder().setAll(values).setAbsent("name", name).setAbsent("model", model);
    }

    /** The registered model's name: the stage's, else the pipeline's. */
    String name(String pipelineName) {
        Object name = values.get("name");
        return name == null ? pipelineName : String.valueOf(name);
    }

    /** The model the stage names, or null for the train stage's. */
    String model() {
        Object model = values.get("model");
        return model == null ? null : String.valueOf(model);
    }
}
