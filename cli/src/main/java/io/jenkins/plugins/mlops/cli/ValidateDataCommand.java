package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.data.DataValidator;
import io.jenkins.plugins.mlops.data.ValidateDataParameters;
import io.jenkins.plugins.mlops.data.ValidationResult;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import io.jenkins.plugins.mlops.report.ValidationPanels;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

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
public final class ValidateDataCommand extends StepCommand<ValidationResult> implements CatalogueOptions.Bound {
    private ValidateDataParameters parameters;

    @Override
    public ParameterCatalogue catalogue() {
        return ValidateDataParameters.CATALOGUE;
    }

    @Override
    protected ValidationResult runStep() {
        return new DataValidator(this::progress).validate(parameters().config(Path.of("")));
    }

    private ValidateDataParameters parameters() {
        if (parameters == null) {
            parameters = ValidateDataParameters.builder().setAll(CatalogueOptions.values(spec, catalogue())).build();
        }
        return parameters;
    }

    @Override
    protected List<String> datasets() {
        // The paths as typed: the other values are checked when the step runs, after the previous verdict is
        // discarded, so a bad --threads must not stop here.
        return Stream.of("--data", "--reference").map(name -> spec.findOption(name).<Object>getValue())
                .filter(Objects::nonNull).map(String::valueOf).toList();
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
        return parameters().failAt();
    }
}
