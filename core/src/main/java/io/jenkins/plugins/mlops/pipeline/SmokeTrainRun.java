package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.io.Durations;
import io.jenkins.plugins.mlops.report.TrainPanels;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.train.ByteSize;
import io.jenkins.plugins.mlops.train.Perturbation;
import io.jenkins.plugins.mlops.train.SmokeTrainConfig;
import io.jenkins.plugins.mlops.train.SmokeTrainResult;
import io.jenkins.plugins.mlops.train.SmokeTraining;
import java.util.List;

/** The smoke-train stage: the training command on a small sample before the real run. */
final class SmokeTrainRun implements Stage {
    private final SmokeTrainStage stage;

    SmokeTrainRun(SmokeTrainStage stage) {
        this.stage = stage;
    }

    @Override
    public String key() {
        return "smoke-train";
    }

    @Override
    public String title() {
        return "Smoke training";
    }

    @Override
    public StageReport run(RunState state) {
        SmokeTrainConfig config = new SmokeTrainConfig(state.pathOrNull(stage.data()), stage.rows(), stage.epochs(),
                Durations.parse(stage.timeout(), "smoke-train.timeout"), ByteSize.parse(stage.memory(), "smoke-train.memory"),
                stage.label(), stage.seed(), state.pathOrNull(stage.out()),
                stage.expectOutput().stream().map(state::expand).toList(), state.project.toString(),
                stage.command().stream().map(state::expand).toList(), Perturbation.parse(stage.perturb()));
        SmokeTrainResult result = new SmokeTraining().run(config, state.console);
        return StageReport.of(result, "smoke", List.of(TrainPanels.smoke(result)), Status.FAIL);
    }
}
