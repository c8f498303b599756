package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import io.jenkins.plugins.mlops.registry.RegisterParameters;
import io.jenkins.plugins.mlops.registry.RegisterResult;
import io.jenkins.plugins.mlops.registry.RegisterStep;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import io.jenkins.plugins.mlops.report.RegisterPanels;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mlops register}: the registerModel step. */
@Command(name = "register", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Registers a model version with lineage tags (commit, data fingerprint, build, gate decision"
            + " and metrics) and points aliases at it. Registering the same model from the same build again returns"
            + " the existing version. With --json, prints the result with the version (name, version, aliases, source, tags).",
        footerHeading = "%nExit codes:%n",
        footer = {"  0  registered (or already registered by this build)", "  1  not registered: the gate report rejects the model",
            "  2  bad input: missing model or report, malformed JSON, unknown run", "  3  the registry failed or refused after retries"})
public final class RegisterCommand extends StepCommand<RegisterResult> implements CatalogueOptions.Bound {
    /** The registry, and how long each of its calls may take. */
    @Mixin
    RegistryOptions registry;

    @Override
    public ParameterCatalogue catalogue() {
        return RegisterParameters.CATALOGUE;
    }

    @Override
    protected RegisterResult runStep() {
        // CI's own variables are the defaults where the CLI runs in a build.
        RegisterParameters parameters = RegisterParameters.builder().setAll(CatalogueOptions.values(spec, catalogue()))
                .set("timeout", registry.timeout()).setAbsent("gitCommit", System.getenv("GIT_COMMIT"))
                .setAbsent("buildUrl", System.getenv("BUILD_URL"))
                .setAbsent("experiment", System.getenv("MLFLOW_EXPERIMENT_NAME")).build();
        return RegisterStep.run(parameters.config(registry.registry, Path.of("")),
                RegistryCredentials.fromEnvironment(System.getenv()), this::progress);
    }

    @Override
    protected String reportName() {
        return "register";
    }

    @Override
    protected String reportTitle() {
        return "Model registration";
    }

    @Override
    protected List<String> reportPanels(RegisterResult result) {
        return List.of(RegisterPanels.version(result));
    }
}
