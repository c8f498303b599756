package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.deploy.shadow.ShadowPanels;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowParameters;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowResult;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowStep;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import io.jenkins.plugins.mlops.result.Status;

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
        ParameterBuilder<ShadowParameters> parameters = stage.parameters(state::expand);
        if (stage.primary() == null) {
            parameters.set("primary", state.deployment.champion(state).toString())
                    .set("shadow", state.deployment.candidate(state).toString());
        }
        ShadowResult result = ShadowStep.run(parameters.build().config(state.project), state.logCredentials(), state.console);
        return StageReport.of(result, "shadow", ShadowPanels.panels(result), Status.FAIL);
    }
}
