package io.jenkins.plugins.mlops.train;

import static io.jenkins.plugins.mlops.params.ParameterType.COMMAND;
import static io.jenkins.plugins.mlops.params.ParameterType.DURATION;
import static io.jenkins.plugins.mlops.params.ParameterType.LIST;
import static io.jenkins.plugins.mlops.params.ParameterType.PATH;
import static io.jenkins.plugins.mlops.params.ParameterType.TEXT;
import static io.jenkins.plugins.mlops.params.ParameterType.WHOLE;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.params.Parameter;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import io.jenkins.plugins.mlops.params.ParameterValues;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * Everything {@code smokeTrain} ({@code mlops smoke-train}, the {@code smoke-train} stage) takes,
 * read and checked: the one place for their names, defaults and help ({@link #CATALOGUE}). Paths
 * are as given, relative to the directory the command runs in.
 *
 * @param memory the limit in bytes
 */
public record SmokeTrainParameters(String data, long rows, int epochs, Duration timeout, long memory, String label,
        long seed, String out, List<String> expectOutput, List<Perturbation> perturb, List<String> command)
        implements Serializable {

    public static final ParameterCatalogue CATALOGUE = new ParameterCatalogue("smokeTrain", List.of(
            Parameter.of("data", PATH, null, "Training data: CSV, TSV, Parquet, JSON lines or a JSON array (required)."),
            Parameter.of("rows", WHOLE, String.valueOf(SmokeTrainConfig.DEFAULT_ROWS), "Rows in the sample."),
            Parameter.of("epochs", WHOLE, String.valueOf(SmokeTrainConfig.DEFAULT_EPOCHS),
                    "Epochs, passed as {epochs} and MLOPS_EPOCHS."),
            Parameter.of("timeout", DURATION, "5m", "Time limit; the whole process tree is stopped after it."),
            Parameter.of("memory", TEXT, "2g", "Limit on the resident memory of the whole process tree, e.g. 512m, 2g: a "
                    + "cgroup where one is writable, else sampled from /proc; the tree is killed at it (OUT_OF_MEMORY).")
                    .labelled("SIZE"),
            Parameter.of("label", TEXT, null, "Stratify the sample by this column, so that every class is in it.")
                    .labelled("COLUMN"),
            Parameter.of("seed", WHOLE, String.valueOf(SmokeTrainConfig.DEFAULT_SEED),
                    "Seed of the sample: the same seed and data give the same rows."),
            Parameter.of("out", PATH, null, "Directory passed as {out} (default: a temporary one, removed afterwards)."),
            Parameter.of("expectOutput", LIST, null, "A file the script must write during the run (several allowed; {out} "
                    + "allowed, e.g. '{out}/model.pkl').").labelled("PATH"),
            Parameter.of("perturb", LIST, null, "Once the plain sample passed, also run the command on perturbed copies of it "
                    + "and name how it ends on each: nan (an empty value in 1 of 10 rows of every feature column), "
                    + "unseen-category (a value the data never had in every text column), empty-column[=COLUMN] (one column "
                    + "all empty). Comma-separated or several; each costs one more run.").labelled("NAME"),
            Parameter.of("command", COMMAND, null, "The training command and its arguments, run as is, without a shell "
                    + "(required).")));

    public static ParameterBuilder<SmokeTrainParameters> builder() {
        return new ParameterBuilder<>(CATALOGUE, SmokeTrainParameters::of);
    }

    public SmokeTrainParameters {
        expectOutput = List.copyOf(expectOutput);
        perturb = List.copyOf(perturb);
        command = List.copyOf(command);
    }

    private static SmokeTrainParameters of(ParameterValues v) {
        if (v.path("data") == null) {
            throw new BadInputException("--data is required: the training data to sample");
        }
        long epochs = v.whole("epochs");
        return new SmokeTrainParameters(v.path("data"), v.whole("rows"),
                (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, epochs)), v.duration("timeout"),
                ByteSize.parse(v.text("memory"), "--memory"), v.text("label"), v.whole("seed"), v.path("out"),
                v.list("expectOutput"), Perturbation.parse(v.list("perturb")), v.list("command"));
    }

    /** What {@link SmokeTraining} runs in {@code workingDirectory} (null: the current one); it checks the values together. */
    public SmokeTrainConfig config(String workingDirectory) {
        return new SmokeTrainConfig(data, rows, epochs, timeout, memory, label, seed, out, expectOutput, workingDirectory,
                command, perturb);
    }
}
