package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.registry.RegisterConfig;
import io.jenkins.plugins.mlops.registry.RegisterResult;
import io.jenkins.plugins.mlops.registry.RegisterStep;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import io.jenkins.plugins.mlops.report.RegisterPanels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mlops register}: the registerModel step. */
@Command(name = "register", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Registers a model version with lineage tags (commit, data fingerprint, build, gate decision"
            + " and metrics) and points aliases at it. Registering the same model from the same build again returns"
            + " the existing version. With --json, prints the result with the version (name, version, aliases, source, tags).",
        footerHeading = "%nExit codes:%n",
        footer = {"  0  registered (or already registered by this build)", "  1  not registered: the gate report rejects the model",
            "  2  bad input: missing model or report, malformed JSON, unknown run", "  3  the registry failed or refused after retries"})
public final class RegisterCommand extends StepCommand<RegisterResult> {
    @Mixin
    RegistryOptions registry;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The registered model's name.")
    String name;

    @Option(names = "--model", required = true, paramLabel = "PATH|URI",
            description = "A model directory or file to upload/copy, or a URI to record as is (s3://..., runs:/RUN/PATH).")
    String model;

    @Option(names = "--run-id", paramLabel = "ID", description = "An MLflow run to register from (e.g. the training run); default: a new run.")
    String runId;

    @Option(names = "--alias", paramLabel = "ALIAS", defaultValue = "staging", split = ",", showDefaultValue = Visibility.ALWAYS,
            description = "Aliases to point at the new version (repeatable; --alias '' for none).")
    List<String> aliases = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A tag on the version (repeatable); mlops.* is reserved.")
    Map<String, String> tags = new LinkedHashMap<>();

    @Option(names = "--description", paramLabel = "TEXT", description = "The version's description.")
    String description;

    @Option(names = "--gate-report", paramLabel = "GATE.json",
            description = "The gate's report: its decision and metrics become tags and run metrics; a FAIL decision is not registered.")
    String gateReport;

    @Option(names = "--validation-report", paramLabel = "VALIDATION.json", description = "The data step's report; its data_fingerprint becomes a tag.")
    String validationReport;

    @Option(names = "--data-profile", paramLabel = "PROFILE.json", description = "A data profile carrying data_fingerprint (instead of --validation-report).")
    String dataProfile;

    @Option(names = "--git-commit", paramLabel = "SHA", defaultValue = "${env:GIT_COMMIT}",
            description = "The commit that built the model; default GIT_COMMIT, else git rev-parse HEAD.")
    String gitCommit;

    @Option(names = "--build-url", paramLabel = "URL", defaultValue = "${env:BUILD_URL}", description = "The CI build; default BUILD_URL.")
    String buildUrl;

    @Option(names = "--experiment", paramLabel = "NAME", defaultValue = "${env:MLFLOW_EXPERIMENT_NAME}",
            description = "MLflow experiment of the run mlops creates; default MLFLOW_EXPERIMENT_NAME, else the model name.")
    String experiment;

    @Option(names = "--stage", paramLabel = "STAGE",
            description = "Also set a (deprecated) MLflow stage: Staging, Production, Archived. Prefer aliases.")
    String stage;

    @Override
    protected RegisterResult runStep() {
        if (validationReport != null && dataProfile != null) {
            throw new BadInputException("give --validation-report or --data-profile, not both");
        }
        List<String> wanted = aliases.stream().filter(alias -> !alias.isBlank()).toList();
        RegisterConfig config = new RegisterConfig(registry.registry, name, model, runId, wanted, tags, description, stage,
                experiment, gateReport, validationReport != null ? validationReport : dataProfile, gitCommit, buildUrl, ".",
                registry.timeout());
        return RegisterStep.run(config, RegistryCredentials.fromEnvironment(System.getenv()), this::progress);
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
