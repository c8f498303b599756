package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.deploy.shadow.ShadowConfig;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowPanels;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowResult;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowStep;
import io.jenkins.plugins.mlops.io.Durations;
import io.jenkins.plugins.mlops.result.Status;
import java.net.URI;

/** The shadow stage: the candidate gets a copy of the champion's traffic; its answers are compared, never returned. */
final class ShadowRun implements Stage {
    private final ShadowStage stage;

    ShadowRun(ShadowStage stage) {
        this.stage = stage;
    }

    @Override
    public String key() {
        return "shadow";
    }

    @Override
    public String title() {
        return "Shadow deployment";
    }

    @Override
    public StageReport run(RunState state) {
        if (stage.primary() == null && !Deployment.hasChampion(state)) {
            return StageReport.skipped("No production model yet: nothing to mirror; the first model is promoted on the gate");
        }
        URI primary = stage.primary() != null ? URI.create(stage.primary()) : state.deployment.champion(state);
        URI shadow = stage.shadow() != null ? URI.create(stage.shadow()) : state.deployment.candidate(state);
        ShadowConfig config = new ShadowConfig(primary, shadow, stage.listen(), stage.requests(),
                stage.duration() == null ? null : Durations.parse(stage.duration(), "shadow.duration"),
                state.expand(stage.log()), stage.payload(), stage.compare(), stage.tolerance(), stage.maxDisagreement(),
                stage.maxShadowErrorRate(), stage.maxLatencyRatio(), stage.replay() == null ? null : state.path(stage.replay()),
                stage.replayPath(), stage.mirrorQueue(), Durations.parse(stage.mirrorTimeout(), "shadow.mirror-timeout"));
        ShadowResult result = ShadowStep.run(config, state.logCredentials(), state.console);
        return StageReport.of(result, "shadow", ShadowPanels.panels(result), Status.FAIL);
    }
}
