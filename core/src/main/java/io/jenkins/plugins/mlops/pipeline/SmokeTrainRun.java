package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.report.TrainPanels;
import io.jenkins.plugins.mlops.result.Status;
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
        SmokeTrainConfig config = stage.parameters(state::pathOrNull, state::expand).build().config(state.project.toString());
        SmokeTrainResult result = new SmokeTraining().run(config, state.console);
        return StageReport.of(result, "smoke", List.of(TrainPanels.smoke(result)), Status.FAIL);
    }
}
