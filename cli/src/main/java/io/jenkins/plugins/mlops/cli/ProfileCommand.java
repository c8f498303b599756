package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.data.Profile;
import io.jenkins.plugins.mlops.data.ProfileFile;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlops profile}: saves a reference profile to test drift against later. */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Profiles a dataset into a small JSON file (histograms, category counts, quantiles; bounded by "
                + "columns, not rows) that `validate-data --reference-profile` tests drift against.")
public final class ProfileCommand extends ProfilingCommand {
    @Option(names = "--out", paramLabel = "PROFILE.json", required = true, description = "Where to write the profile.")
    Path out;

    @Override
    public Integer call() {
        refuseOverwritingData(out);
        Profile profile = profileData();
        ProfileFile.write(out, profile);
        done("profiled %,d rows x %d columns of %s into %s (%s)", profile.rowCount(), profile.columns().size(), data, out,
                profile.dataFingerprint());
        return ExitCodes.PASSED;
    }
}
