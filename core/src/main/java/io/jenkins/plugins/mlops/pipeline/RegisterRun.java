package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.registry.RegisterParameters;
import io.jenkins.plugins.mlops.registry.RegisterResult;
import io.jenkins.plugins.mlops.registry.RegisterStep;
import io.jenkins.plugins.mlops.report.RegisterPanels;
import io.jenkins.plugins.mlops.result.Status;
import java.util.List;

/** The register stage: the trained model with the run's gate and validation reports as lineage. */
final class RegisterRun implements Stage {
    private final RegisterStage stage;

    RegisterRun(RegisterStage stage) {
        this.stage = stage;
    }

    @Override
    public String key() {
        return "register";
    }

    @Override
    public String title() {
        return "Model registration";
    }

    @Override
    public StageReport run(RunState state) {
        String model = stage.model() != null ? state.path(stage.model()).toString() : state.trainedModel().toString();
        RegisterParameters parameters = stage.parameters(state.config.name(), model)
                .set("gateReport", pathOrNull(state.gateReport)).set("validationReport", pathOrNull(state.validationReport))
                .set("buildUrl", buildUrl(state)).build();
        RegisterResult result = RegisterStep.run(parameters.config(state.registry(), state.project), state.credentials,
                state.console);
        state.registeredVersion = result.version();
        return StageReport.of(result, "register", List.of(RegisterPanels.version(result)), Status.FAIL);
    }

    /** The CI build, else this run's report: either way the version points at what produced it. */
    private String buildUrl(RunState state) {
        Object given = stage.values().get("buildUrl");
        if (given != null) {
            return String.valueOf(given);
        }
        String ci = System.getenv("BUILD_URL");
        return ci != null && !ci.isBlank() ? ci : state.runDir.resolve(PipelineRunner.REPORT).toUri().toString();
    }

    private static String pathOrNull(java.nio.file.Path path) {
        return path == null ? null : path.toString();
    }
}
