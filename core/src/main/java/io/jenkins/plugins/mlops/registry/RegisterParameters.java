package io.jenkins.plugins.mlops.registry;

import static io.jenkins.plugins.mlops.params.ParameterType.DURATION;
import static io.jenkins.plugins.mlops.params.ParameterType.LIST;
import static io.jenkins.plugins.mlops.params.ParameterType.PAIRS;
import static io.jenkins.plugins.mlops.params.ParameterType.PATH;
import static io.jenkins.plugins.mlops.params.ParameterType.TEXT;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.params.FrontEnd;
import io.jenkins.plugins.mlops.params.Parameter;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import io.jenkins.plugins.mlops.params.ParameterValues;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code registerModel} ({@code mlops register}, the {@code register} stage) takes, read
 * and checked: the one place for their names, defaults and help ({@link #CATALOGUE}). The registry
 * itself is not one of them: each front end has its own, with its credentials.
 */
public record RegisterParameters(String name, String model, String runId, List<String> alias, Map<String, String> tag,
        String description, String gateReport, String validationReport, String dataProfile, String gitCommit,
        String buildUrl, String experiment, String stage, Duration timeout) implements Serializable {

    /**
     * The parameters. The pipeline registers its own run's gate and validation reports; Jenkins
     * records its build's URL; the command line's timeout is its registry options', shared with gate.
     */
    public static final ParameterCatalogue CATALOGUE = new ParameterCatalogue("registerModel", List.of(
            Parameter.of("name", TEXT, null, "The registered model's name (required)."),
            Parameter.of("model", TEXT, null, "A model directory or file to upload/copy, or a URI to record as is "
                    + "(s3://..., runs:/RUN/PATH) (required).").labelled("PATH|URI"),
            Parameter.of("runId", TEXT, null, "An MLflow run to register from (e.g. the training run); default: a new run."),
            Parameter.of("alias", LIST, "staging", "Aliases to point at the new version, comma-separated or several; "
                    + "empty for none."),
            Parameter.of("tag", PAIRS, null, "Tags on the version (several allowed); mlops.* is reserved.").labelled("KEY=VALUE"),
            Parameter.of("description", TEXT, null, "The version's description."),
            Parameter.of("gateReport", PATH, null, "The gate's report: its decision and metrics become tags and run metrics; "
                    + "a FAIL decision is not registered.").only(FrontEnd.CLI, FrontEnd.JENKINS),
            Parameter.of("validationReport", PATH, null, "The data step's report; its data_fingerprint becomes a tag.")
                    .only(FrontEnd.CLI, FrontEnd.JENKINS),
            Parameter.of("dataProfile", PATH, null, "A data profile carrying data_fingerprint (instead of the validation report).")
                    .only(FrontEnd.CLI, FrontEnd.JENKINS),
            Parameter.of("gitCommit", TEXT, null, "The commit that built the model; default GIT_COMMIT, else git rev-parse HEAD."),
            Parameter.of("buildUrl", TEXT, null, "The CI build; default BUILD_URL.").only(FrontEnd.CLI, FrontEnd.YAML),
            Parameter.of("experiment", TEXT, null, "MLflow experiment of the run mlops creates; default "
                    + "MLFLOW_EXPERIMENT_NAME, else the model name."),
            Parameter.of("stage", TEXT, null, "Also set a (deprecated) MLflow stage: Staging, Production, Archived. Prefer aliases."),
            Parameter.of("timeout", DURATION, "120s", "How long each registry call may take, retries of transient failures "
                    + "included.").only(FrontEnd.YAML, FrontEnd.JENKINS)));

    public static ParameterBuilder<RegisterParameters> builder() {
        return new ParameterBuilder<>(CATALOGUE, RegisterParameters::of);
    }

    public RegisterParameters {
        alias = List.copyOf(alias);
        tag = Map.copyOf(tag);
        if (validationReport != null && dataProfile != null) {
            throw new BadInputException("give --validation-report or --data-profile, not both");
        }
    }

    private static RegisterParameters of(ParameterValues v) {
        List<String> aliases = v.list("alias").stream().flatMap(a -> Arrays.stream(a.split(","))).map(String::strip)
                .filter(a -> !a.isEmpty()).toList();
        return new RegisterParameters(v.text("name"), v.text("model"), v.text("runId"), aliases, v.pairs("tag"),
                v.text("description"), v.path("gateReport"), v.path("validationReport"), v.path("dataProfile"),
                v.text("gitCommit"), v.text("buildUrl"), v.text("experiment"), v.text("stage"), v.duration("timeout"));
    }

    /**
     * What {@link RegisterStep} runs: in {@code registry} ({@code file:DIR} relative to {@code directory},
     * as the reports and the model are).
     */
    public RegisterConfig config(String registry, Path directory) {
        String uri = registry != null && registry.startsWith("file:") && !Path.of(registry.substring(5)).isAbsolute()
                ? "file:" + directory.resolve(registry.substring(5)) : registry;
        return new RegisterConfig(uri, name, model, runId, alias, tag, description, stage, experiment, resolve(directory, gateReport),
                resolve(directory, validationReport != null ? validationReport : dataProfile), gitCommit, buildUrl,
                directory.toString(), timeout);
    }

    private static String resolve(Path directory, String path) {
        return path == null ? null : directory.resolve(path).toString();
    }
}
