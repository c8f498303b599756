package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.data.DataProfiling;
import io.jenkins.plugins.mlops.data.Profile;
import io.jenkins.plugins.mlops.data.ProfileFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mlops profile}: saves a reference profile to test drift against later. */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Profiles a dataset into a small JSON file (histograms, category counts, quantiles; bounded by "
                + "columns, not rows) that `validate-data --reference-profile` tests drift against.")
public final class ProfileCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "PATH", required = true, description = "The dataset: a file or a directory of files.")
    String data;

    @Option(names = "--out", paramLabel = "PROFILE.json", required = true, description = "Where to write the profile.")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
    boolean quiet;

    @Mixin
    EngineOptions engine;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Profile profile = DataProfiling.profile(data, engine.settings(), this::progress);
        ProfileFile.write(out, profile);
        if (!quiet) {
            spec.commandLine().getOut().printf("profiled %,d rows x %d columns of %s into %s (%s)%n", profile.rowCount(),
                    profile.columns().size(), data, out, profile.dataFingerprint());
        }
        return ExitCodes.PASSED;
    }

    private void progress(String message) {
        if (!quiet) {
            spec.commandLine().getErr().println(message);
        }
    }
}
