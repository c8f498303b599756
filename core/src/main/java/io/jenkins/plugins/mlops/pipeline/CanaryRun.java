package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.deploy.rollout.CanaryPanels;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryResult;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryRollout;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryRolloutParameters;
import io.jenkins.plugins.mlops.deploy.router.RouterAccess;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import io.jenkins.plugins.mlops.result.Status;

/**
 * The canary stage on the embedded router: stable is the champion, the candidate takes the
 * steps' weights, the judge compares both at every look; the replay file is the traffic.
 */
final class CanaryRun implements Stage {
    private final CanaryStage stage;

    CanaryRun(CanaryStage stage) {
        this.stage = stage;
    }

    @Override
    public String key() {
        return "canary";
    }

    @Override
    public String title() {
        return "Canary rollout";
    }

    @Override
    public StageReport run(RunState state) {
        if (stage.servesBoth() && !Deployment.hasChampion(state)) {
            return StageReport.skipped("No production model yet: nothing to roll out against; the first model is promoted on the gate");
        }
        ParameterBuilder<CanaryRolloutParameters> parameters = stage.parameters(state::expand);
        // A running router keeps the candidate after the run: never the server the run stops at its end.
        if (stage.servesBoth()) {
            parameters.set("stable", state.deployment.champion(state).toString())
                    .set("candidate", state.deployment.candidate(state).toString());
        }
        CanaryRolloutParameters checked = parameters.build();
        CanaryResult result = new CanaryRollout(state.logCredentials(), state.metricCredentials(), state.console,
                warning -> state.console.accept("canary: WARNING: " + warning),
                RouterAccess.token(checked.routerTokenFile(), state.project, System.getenv())).run(checked, state.project);
        return StageReport.of(result, "canary", CanaryPanels.panels(result), Status.FAIL);
    }
}
