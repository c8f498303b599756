package io.jenkins.plugins.mlops.pipeline;

import java.util.Map;

/**
 * The stages after {@code register} that take a model version (package, deploy): their
 * {@code model} defaults to the version the register stage made.
 */
final class RegisteredVersion {
    /** Stands in for the registered version while the file is checked, before any version exists. */
    static final String PLACEHOLDER = "models:/registered/1";

    private RegisteredVersion() {}

    /** The model a stage's values name, or null for the registered version. */
    static String stageModel(Map<String, Object> values) {
        Object model = values.get("model");
        return model == null ? null : String.valueOf(model);
    }

    /**
     * The registered version as {@code models:/NAME/VERSION}, or null when none was registered and
     * the stage names its own model; a stage with neither fails.
     */
    static String of(RunState state, String stageModel, String stage) {
        if (stageModel == null && state.registeredVersion == null) {
            throw new StageFailedException(stage + ": the register stage registered no version to " + stage);
        }
        return state.registeredVersion == null ? null
                : "models:/" + state.config.register().name(state.config.name()) + "/" + state.registeredVersion;
    }
}
