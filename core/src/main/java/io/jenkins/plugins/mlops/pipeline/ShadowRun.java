package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.deploy.shadow.ShadowPanels;
import io.jenkins.plugins.mlops.deploy.router.RouterAccess;
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
        boolean servesShadow = stage.shadow() == null;
        if (servesShadow && !Deployment.hasChampion(state)) {
            return StageReport.skipped("No production model yet: nothing to mirror; the first model is promoted on the gate");
        }
        ParameterBuilder<ShadowParameters> parameters = stage.parameters(state::expand);
        if (stage.servesPrimary()) {
            parameters.set("primary", state.deployment.champion(state).toString());
        }
        if (servesShadow) {
            // Served only for the stage: a running router's mirror is off again before the run stops it.
            parameters.set("shadow", state.deployment.candidate(state).toString());
        }
        ShadowParameters checked = parameters.build();
        ShadowResult result = ShadowStep.run(checked.config(state.project), state.logCredentials(),
                RouterAccess.token(checked.routerTokenFile(), state.project, System.getenv()), state.console);
        return StageReport.of(result, "shadow", ShadowPanels.panels(result), Status.FAIL);
    }
}
