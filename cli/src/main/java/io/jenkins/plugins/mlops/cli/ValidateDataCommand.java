package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.data.DataValidator;
import io.jenkins.plugins.mlops.data.ValidationConfig;
import io.jenkins.plugins.mlops.data.ValidationResult;
import io.jenkins.plugins.mlops.report.ValidationPanels;
import io.jenkins.plugins.mlops.result.Status;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mlops validate-data}: the validateData step on the command line. */
@Command(name = "validate-data", mixinStandardHelpOptions = true,
        description = {
            "Validates a dataset (CSV, TSV, Parquet, JSON lines; a file or a directory of partitions) against a schema "
                    + "and tests every column for drift against a reference.",
            "Without --schema, the schema is inferred from the reference (types, nullability, categories, ranges, IDs)."
        },
        footerHeading = "%nExit codes:%n",
        footer = {"  0  passed", "  1  a check failed (or warned, with --fail-on warn)",
            "  2  bad input: missing, empty or malformed data (file and line named), bad schema",
            "  3  infrastructure failure (DuckDB cannot start)"})
public final class ValidateDataCommand extends StepCommand<ValidationResult> {
    /** The threshold from which the command fails: a WARN fails only when asked. */
    enum FailOn { WARN, FAIL }

    @Option(names = "--data", paramLabel = "PATH", required = true,
            description = "The dataset to validate: a file or a directory of files of one format.")
    String data;

    @Option(names = "--reference", paramLabel = "PATH",
            description = "Reference data (e.g. the training set) to infer the schema from and to test drift against.")
    String reference;

    @Option(names = "--reference-profile", paramLabel = "PROFILE.json",
            description = "A profile saved by `mlops profile`, used instead of --reference.")
    String referenceProfile;

    @Option(names = "--schema", paramLabel = "SCHEMA.yaml",
            description = "Expectations to check; see `mlops infer-schema` for a starting point.")
    String schema;

    @Option(names = "--fail-on", paramLabel = "warn|fail", defaultValue = "fail", showDefaultValue = CommandLine.Help.Visibility.ALWAYS,
            description = "Exit 1 from this status on: fail, or warn to fail the build on warnings too.")
    FailOn failOn;

    @Mixin
    EngineOptions engine;

    @Mixin
    DelimiterOption delimiter;

    @Override
    protected ValidationResult runStep() {
        ValidationConfig config = new ValidationConfig(data, reference, referenceProfile, schema, engine.settings(),
                delimiter.value());
        return new DataValidator(this::progress).validate(config);
    }

    @Override
    protected List<String> datasets() {
        return reference == null ? List.of(data) : List.of(data, reference);
    }

    @Override
    protected String reportName() {
        return "validation";
    }

    @Override
    protected String reportTitle() {
        return "Data validation";
    }

    @Override
    protected List<String> reportPanels(ValidationResult result) {
        return ValidationPanels.render(result);
    }

    @Override
    protected Status failureThreshold() {
        return failOn == FailOn.WARN ? Status.WARN : Status.FAIL;
    }
}
