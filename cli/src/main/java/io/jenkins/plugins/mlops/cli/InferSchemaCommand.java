package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.data.Profile;
import io.jenkins.plugins.mlops.data.SchemaFile;
import io.jenkins.plugins.mlops.data.SchemaInference;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlops infer-schema}: a schema to start from and edit. */
@Command(name = "infer-schema", mixinStandardHelpOptions = true,
        description = "Infers a schema YAML from a dataset (types, nullability, categories, ranges with a margin, "
                + "ID-like columns) as a starting point to edit and pass to `validate-data --schema`.")
public final class InferSchemaCommand extends ProfilingCommand {
    @Option(names = "--out", paramLabel = "SCHEMA.yaml", required = true, description = "Where to write the schema.")
    Path out;

    @Override
    public Integer call() {
        refuseOverwritingData(out);
        Profile profile = profileData();
        SchemaFile.write(out, SchemaInference.infer(profile), """
                Schema inferred by `mlops infer-schema` from %s (%,d rows, %s).
                Edit it: tighten ranges, add row_count bounds and custom SQL checks; see docs/validate-data.md.
                Keys per column: type, nullable, max_null_fraction, min, max, categories, unique, id, drift, inferred_from.
                inferred_from: the limits are what that reference sample saw, and rows beyond them fail only where
                sampling cannot explain them; delete it to make a column's limits hard.
                """.formatted(data, profile.rowCount(), profile.dataFingerprint()));
        done("inferred a schema for %d columns of %s into %s", profile.columns().size(), data, out);
        return ExitCodes.PASSED;
    }
}
