package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.data.DataProfiling;
import io.jenkins.plugins.mlops.data.Profile;
import io.jenkins.plugins.mlops.data.SchemaFile;
import io.jenkins.plugins.mlops.data.SchemaInference;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mlops infer-schema}: a schema to start from and edit. */
@Command(name = "infer-schema", mixinStandardHelpOptions = true,
        description = "Infers a schema YAML from a dataset (types, nullability, categories, ranges with a margin, "
                + "ID-like columns) as a starting point to edit and pass to `validate-data --schema`.")
public final class InferSchemaCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "PATH", required = true, description = "The dataset: a file or a directory of files.")
    String data;

    @Option(names = "--out", paramLabel = "SCHEMA.yaml", required = true, description = "Where to write the schema.")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
    boolean quiet;

    @Mixin
    EngineOptions engine;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Profile profile = DataProfiling.profile(data, engine.settings(), message -> {
            if (!quiet) {
                spec.commandLine().getErr().println(message);
            }
        });
        SchemaFile.write(out, SchemaInference.infer(profile), """
                Schema inferred by `mlops infer-schema` from %s (%,d rows, %s).
                Edit it: tighten ranges, add row_count bounds and custom SQL checks; see docs/validate-data.md.
                Keys per column: type, nullable, max_null_fraction, min, max, categories, unique, id, drift.
                """.formatted(data, profile.rowCount(), profile.dataFingerprint()));
        if (!quiet) {
            spec.commandLine().getOut().printf("inferred a schema for %d columns of %s into %s%n", profile.columns().size(), data, out);
        }
        return ExitCodes.PASSED;
    }
}
