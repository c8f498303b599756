package io.jenkins.plugins.mlops.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.jenkins.plugins.mlops.ingest.IngestParameters;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code ingest} stage: the parameters of {@code mlops ingest}, checked when the file is read.
 * It runs first, so the validate and train stages read the window it wrote.
 *
 * @param values the stage's values by parameter name, as YAML typed them
 */
public record IngestStage(Map<String, Object> values) implements Serializable {

    public IngestStage {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        StageKeys.check("ingest", parameters(values));
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static IngestStage of(Map<String, Object> yaml) {
        return new IngestStage(StageKeys.byName("ingest", IngestParameters.CATALOGUE, yaml));
    }

    ParameterBuilder<IngestParameters> parameters() {
        return parameters(values);
    }

    private static ParameterBuilder<IngestParameters> parameters(Map<String, Object> values) {
        return IngestParameters.builder().setAll(values);
    }
}
