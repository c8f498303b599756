package io.jenkins.plugins.mlops.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import io.jenkins.plugins.mlops.revision.DeployParameters;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code deploy} stage: the parameters of {@code deployModel} ({@code mlops deploy}), checked
 * when the file is read. {@code model} defaults to the version the register stage made (and the
 * package stage gave its image).
 *
 * @param values the stage's values by parameter name, as YAML typed them
 */
public record DeployStage(Map<String, Object> values) implements Serializable {
    public DeployStage {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        StageKeys.check("deploy", parameters(values, RegisteredVersion.PLACEHOLDER));
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static DeployStage of(Map<String, Object> yaml) {
        return new DeployStage(StageKeys.byName("deploy", DeployParameters.CATALOGUE, yaml));
    }

    /** The stage's parameters, the registered version where the stage names no model. */
    ParameterBuilder<DeployParameters> parameters(String registeredModel) {
        return parameters(values, registeredModel);
    }

    private static ParameterBuilder<DeployParameters> parameters(Map<String, Object> values, String model) {
        return DeployParameters.builder().setAll(values).setAbsent("model", model);
    }

    /** The model the stage names, or null for the registered version. */
    String model() {
        return RegisteredVersion.stageModel(values);
    }
}
