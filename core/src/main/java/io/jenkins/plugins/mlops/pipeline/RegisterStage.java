package io.jenkins.plugins.mlops.pipeline;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The {@code register} stage: the options of {@code mlops register}. {@code name} defaults to the
 * pipeline's, {@code model} to the train stage's model; the gate and validation reports of the
 * run become the lineage.
 */
public record RegisterStage(String name, String model, String runId, List<String> alias, Map<String, String> tag,
        String description, String experiment, String stage, String gitCommit, String buildUrl, String timeout)
        implements Serializable {

    public RegisterStage {
        alias = alias == null ? List.of("staging") : List.copyOf(alias);
        tag = Keys.map(tag);
        timeout = Keys.orDefault(timeout, "120s");
    }
}
