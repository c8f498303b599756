package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.ci.CheckCommand;
import io.jenkins.plugins.mlops.ci.CiConfig;
import io.jenkins.plugins.mlops.ci.CiResult;
import io.jenkins.plugins.mlops.ci.CodeChecks;
import io.jenkins.plugins.mlops.report.CiPanels;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.io.Durations;
import java.util.List;

/** The ci stage: the project's own lint, format, type and unit-test commands, before any data or training. */
final class CiRun implements Stage {
    private final CiStage stage;

    CiRun(CiStage stage) {
        this.stage = stage;
    }

    @Override
    public String key() {
        return "ci";
    }

    @Override
    public String title() {
        return "CI checks";
    }

    @Override
    public StageReport run(RunState state) {
        List<CheckCommand> commands = stage.commands().entrySet().stream()
                .map(entry -> new CheckCommand(entry.getKey(), entry.getValue().stream().map(state::expand).toList()))
                .toList();
        // The commands' JUnit files go beside the run's other reports, where report.html links them.
        CiConfig config = new CiConfig(commands, Durations.parse(stage.timeout(), "ci.timeout"), state.project.toString(),
                state.runDir.toString());
        CiResult result = new CodeChecks().run(config, state.console);
        return StageReport.of(result, "ci", List.of(CiPanels.commands(result)), Status.FAIL);
    }
}
