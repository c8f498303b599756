package io.jenkins.plugins.mlops.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.jenkins.plugins.mlops.packaging.PackageParameters;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code package} stage: the parameters of {@code packageModel} ({@code mlops package}),
 * checked when the file is read. {@code model} defaults to the version the register stage made.
 *
 * @param values the stage's values by parameter name, as YAML typed them
 */
public record PackageStage(Map<String, Object> values) implements Serializable {
    public PackageStage {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        StageKeys.check("package", parameters(values, RegisteredVersion.PLACEHOLDER));
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static PackageStage of(Map<String, Object> yaml) {
        return new PackageStage(StageKeys.byName("package", PackageParameters.CATALOGUE, yaml));
    }

    /** The stage's parameters, the registered version where the stage names no model. */
    ParameterBuilder<PackageParameters> parameters(String registeredModel) {
        return parameters(values, registeredModel);
    }

    private static ParameterBuilder<PackageParameters> parameters(Map<String, Object> values, String model) {
        return PackageParameters.builder().setAll(values).setAbsent("model", model);
    }

    /** The model the stage names, or null for the registered version. */
    String model() {
        return RegisteredVersion.stageModel(values);
    }
}
