package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.report.TrainPanels;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.train.TrainOnGpu;
import io.jenkins.plugins.mlops.train.TrainResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The train stage: full training, locally or as a Kubernetes Job; it must leave the model where {@code model} says. */
final class TrainRun implements Stage {
    private final TrainStage stage;

    TrainRun(TrainStage stage) {
        this.stage = stage;
    }

    @Override
    public String key() {
        return "train";
    }

    @Override
    public String title() {
        return "Training";
    }

    @Override
    public StageReport run(RunState state) {
        TrainResult result = new TrainOnGpu(state.console).run(stage.parameters(state::expand).build(), state.project, Map.of());
        StageReport report = StageReport.of(result, "train", List.of(TrainPanels.train(result)), Status.FAIL);
        Path model = state.trainedModel();
        if (!report.passed() || Files.exists(model)) {
            return report;
        }
        // A training that exits 0 without its model would fail the gate later, on a missing file, less clearly.
        return new StageReport(result, "train", report.panels(), Status.FAIL,
                "The training command exited 0 but wrote no model at " + model + " (train.model)", false);
    }
}
