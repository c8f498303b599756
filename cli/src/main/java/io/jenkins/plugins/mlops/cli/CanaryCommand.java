package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.deploy.log.LogCredentials;
import io.jenkins.plugins.mlops.deploy.router.RouterAccess;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryPanels;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryResult;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryRollout;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryRolloutParameters;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code mlops canary}: shift traffic to the candidate step by step, judge it against stable at each, promote or roll back. */
@Command(
        name = "canary",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Roll a candidate model out in steps (5%% → 25%% → 50%% → 100%%). At every look, candidate and stable are "
                    + "judged over the same interval: error rate (two-proportion test), latency (Mann-Whitney U, "
                    + "Hodges-Lehmann shift), prediction distribution (Kolmogorov-Smirnov) and business metrics.",
            "A failing candidate gets 0%% at the first look that sees it; a step without enough data after "
                    + "--step-duration plus --max-wait fails closed. Run again with the same --state to resume."
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  promoted: the candidate takes all traffic",
            "  1  rolled back: all traffic is back on stable",
            "  2  bad input or usage",
            "  3  the router, the cluster, Prometheus or the log database failed",
            "",
            "Example:",
            "  mlops canary --stable http://127.0.0.1:5001 --candidate http://127.0.0.1:5002 \\",
            "    --listen 127.0.0.1:8080 --steps 5,25,50,100 --step-duration 2m --max-error-rate 0.01 \\",
            "    --metric 'converted:higher=SELECT f.outcome FROM mlops_predictions p JOIN mlops_feedback f "
                    + "USING (request_id) WHERE p.variant = :variant AND p.received_at >= :from AND p.received_at < :to' \\",
            "    --report reports/canary"
        })
public final class CanaryCommand extends StepCommand<CanaryResult> implements CatalogueOptions.Bound {

    @Override
    public ParameterCatalogue catalogue() {
        return CanaryRolloutParameters.CATALOGUE;
    }

    @Override
    protected CanaryResult runStep() {
        CanaryRolloutParameters parameters = CanaryRolloutParameters.builder()
                .setAll(CatalogueOptions.values(spec, catalogue())).build();
        return new CanaryRollout(LogCredentials.writer(System.getenv()), LogCredentials.metrics(System.getenv()),
                this::progress, this::warn, RouterAccess.token(parameters.routerTokenFile(), Path.of(""), System.getenv()))
                .run(parameters, Path.of(""));
    }

    @Override
    protected String reportName() {
        return "canary";
    }

    @Override
    protected String reportTitle() {
        return "Canary rollout";
    }

    @Override
    protected List<String> reportPanels(CanaryResult result) {
        return CanaryPanels.panels(result);
    }
}
