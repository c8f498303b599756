package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.revision.DeployParameters;
import io.jenkins.plugins.mlops.revision.DeployResult;
import io.jenkins.plugins.mlops.revision.DeployStep;
import java.util.List;

/**
 * The deploy stage: the version the register stage made (or the stage's model), by the image the
 * package stage wrote on it, onto the cluster at zero traffic, as {@code mlops deploy} does.
 */
final class DeployRun implements Stage {
    private final DeployStage stage;

    DeployRun(DeployStage stage) {
        this.stage = stage;
    }

    @Override
    public String key() {
        return "deploy";
    }

    @Override
    public String title() {
        return "Model deployment";
    }

    @Override
    public StageReport run(RunState state) {
        String registered = RegisteredVersion.of(state, stage.model(), "deploy");
        DeployParameters parameters = stage.parameters(registered).build();
        DeployResult result = DeployStep.run(parameters, state.registry(), state.credentials, state.project, state.console);
        return StageReport.of(result, "deploy", List.of(), Status.FAIL);
    }
}
