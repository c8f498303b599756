package io.jenkins.plugins.mlops.data;

import static io.jenkins.plugins.mlops.params.ParameterType.PATH;
import static io.jenkins.plugins.mlops.params.ParameterType.TEXT;
import static io.jenkins.plugins.mlops.params.ParameterType.WHOLE;

import io.jenkins.plugins.mlops.io.CsvHeader;
import io.jenkins.plugins.mlops.io.DuckDb;
import io.jenkins.plugins.mlops.params.Parameter;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import io.jenkins.plugins.mlops.params.ParameterValues;
import io.jenkins.plugins.mlops.result.Status;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@code validateData} ({@code mlops validate-data}, the {@code validate} stage) takes,
 * read and checked: the one place for their names, defaults and help ({@link #CATALOGUE}).
 *
 * @param failAt the status from which the step fails: FAIL, or WARN with {@code failOn: warn}
 */
public record ValidateDataParameters(String data, String reference, String referenceProfile, String schema, Status failAt,
        EngineSettings engine, Character delimiter) implements Serializable {

    public static final ParameterCatalogue CATALOGUE = new ParameterCatalogue("validateData", List.of(
            Parameter.of("data", PATH, null, "The dataset to validate: a file or a directory of files of one format (required); "
                    + "with engine spark also table:NAME, a table of Spark's catalogue."),
            Parameter.of("reference", PATH, null, "Reference data (e.g. the training set) to infer the schema from and to "
                    + "test drift against."),
            Parameter.of("referenceProfile", PATH, null, "A profile saved by `mlops profile`, used instead of the reference."),
            Parameter.of("schema", PATH, null, "Expectations to check; see `mlops infer-schema` for a starting point."),
            Parameter.choice("failOn", "fail", "Fail from this status on: fail, or warn to fail the build on warnings too.",
                    "fail", "warn"),
            Parameter.of("memoryLimit", TEXT, DuckDb.DEFAULT_MEMORY_LIMIT, "Memory DuckDB may use; larger aggregates spill "
                    + "to disk (e.g. 512MB, 4GB).").labelled("SIZE"),
            Parameter.of("threads", WHOLE, "0", "Scan threads; 0 uses every processor."),
            Parameter.choice("engine", EngineSettings.DUCKDB, "What computes the profile: duckdb on this machine; arrow, where DuckDB "
                    + "parses and Java aggregates its Arrow batches; or spark on the Spark Connect server at sparkRemote, which reads "
                    + "the data where it lives.", EngineSettings.DUCKDB, EngineSettings.ARROW, EngineSettings.SPARK),
            Parameter.of("sparkRemote", TEXT, null, "The Spark Connect server for engine spark, e.g. sc://spark-host:15002.")
                    .labelled("URL"),
            Parameter.of("delimiter", TEXT, null, "Field delimiter of CSV/TSV data: one character, e.g. ';', '|' or '\\\\t' "
                    + "(default: ',' for .csv, tab for .tsv).").labelled("CHAR")));

    public static ParameterBuilder<ValidateDataParameters> builder() {
        return new ParameterBuilder<>(CATALOGUE, ValidateDataParameters::of);
    }

    private static ValidateDataParameters of(ParameterValues v) {
        // EngineSettings says which thread counts it takes; a count beyond an int is beyond those too.
        int threads = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v.whole("threads")));
        String delimiter = v.text("delimiter");
        return new ValidateDataParameters(v.path("data"), v.path("reference"), v.path("referenceProfile"), v.path("schema"),
                "warn".equals(v.text("failOn")) ? Status.WARN : Status.FAIL, EngineSettings.of(v.text("memoryLimit"), threads, v.text("engine"), v.text("sparkRemote")),
                delimiter == null ? null : CsvHeader.parseDelimiter(delimiter));
    }

    /** What {@link DataValidator} runs, the files in {@code directory}; it checks that they fit together. */
    public ValidationConfig config(Path directory) {
        return new ValidationConfig(resolve(directory, data), resolve(directory, reference), resolve(directory, referenceProfile),
                resolve(directory, schema), engine, delimiter);
    }

    private static String resolve(Path directory, String path) {
        return path == null || DataSource.isTable(path) ? path : directory.resolve(path).toString();
    }
}
