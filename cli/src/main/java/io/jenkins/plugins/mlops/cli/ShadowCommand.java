package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.deploy.log.LogCredentials;
import io.jenkins.plugins.mlops.deploy.router.RouterAccess;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowPanels;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowParameters;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowResult;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowStep;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code mlops shadow}: the shadowDeploy step. */
@Command(name = "shadow", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Puts the router in front of the primary model server and mirrors every request to the shadow"
            + " (asynchronously, bounded: clients get the primary's answer unchanged), then compares both models'"
            + " predictions row by row (MLflow /invocations, KServe v1/v2), their errors and latency. With --router, a"
            + " router that runs on its own mirrors for the step and keeps serving after it.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0  the shadow is within the policy", "  1  disagreement, shadow errors or latency exceed the policy,"
            + " or too little traffic came", "  2  bad input or usage", "  3  the router or the log database could not start"})
public final class ShadowCommand extends StepCommand<ShadowResult> implements CatalogueOptions.Bound {

    @Override
    public ParameterCatalogue catalogue() {
        return ShadowParameters.CATALOGUE;
    }

    @Override
    protected ShadowResult runStep() {
        ShadowParameters parameters = ShadowParameters.builder().setAll(CatalogueOptions.values(spec, catalogue())).build();
        return ShadowStep.run(parameters.config(Path.of("")), LogCredentials.writer(System.getenv()),
                RouterAccess.token(parameters.routerTokenFile(), Path.of(""), System.getenv()), this::progress);
    }

    @Override
    protected String reportName() {
        return "shadow";
    }

    @Override
    protected String reportTitle() {
        return "Shadow deployment";
    }

    @Override
    protected List<String> reportPanels(ShadowResult result) {
        return ShadowPanels.panels(result);
    }
}
