package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.image.RegistryAuth;
import io.jenkins.plugins.mlops.packaging.PackageParameters;
import io.jenkins.plugins.mlops.packaging.PackageResult;
import io.jenkins.plugins.mlops.packaging.PackageStep;
import io.jenkins.plugins.mlops.result.Status;
import java.util.List;

/**
 * The package stage: the version the register stage made (or the stage's model) as an image;
 * the image registry's credentials come from the environment, as for {@code mlops package}.
 */
final class PackageRun implements Stage {
    private final PackageStage stage;

    PackageRun(PackageStage stage) {
        this.stage = stage;
    }

    @Override
    public String key() {
        return "package";
    }

    @Override
    public String title() {
        return "Model packaging";
    }

    @Override
    public StageReport run(RunState state) {
        String registered = RegisteredVersion.of(state, stage.model(), "package");
        PackageParameters parameters = stage.parameters(registered).build();
        PackageResult result = PackageStep.run(parameters, state.registry(), state.credentials,
                RegistryAuth.fromEnvironment(System.getenv()), state.project, state.console);
        state.candidateImage = result.image();
        return StageReport.of(result, "package", List.of(), Status.FAIL);
    }
}
